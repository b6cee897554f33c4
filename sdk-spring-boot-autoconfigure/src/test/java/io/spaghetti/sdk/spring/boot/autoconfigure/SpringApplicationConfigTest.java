package io.spaghetti.sdk.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.spaghetti.sdk.core.config.SdkConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/** A real SpringApplication: its config files, a profile's file over them, and arguments over both. */
class SpringApplicationConfigTest {
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(SpaghettiSdkAutoConfiguration.class)
    static class App {
    }

    @Test
    void aProfilesFileOverridesTheApplicationFileAndArgumentsOverrideBoth() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE).profiles("prod")
                .properties("spring.config.name=profiles-test")
                .run("--spaghetti.service.name=from-args")) {
            SdkConfig config = context.getBean(SdkConfig.class);
            assertThat(config.service().name()).isEqualTo("from-args");
            assertThat(config.service().environment()).isEqualTo("prod");
            assertThat(context.getBean(io.spaghetti.sdk.core.cache.Caches.class).specFor("documents").l1MaxSize())
                    .isEqualTo(42);
        }
    }
}
