package io.spaghetti.sdk.spring.boot.autoconfigure;

import io.spaghetti.sdk.backplane.BackplaneModule;
import io.spaghetti.sdk.core.Sdk;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Module {@code backplane} (sdk-backplane on the classpath): inject it and send to any hub's clients on every
 * server with {@code backplane.hub("DocumentHub")}; each mapped SignalR hub also has its {@code HubContext} bean.
 */
@AutoConfiguration(after = SpaghettiSdkAutoConfiguration.class)
@ConditionalOnClass(BackplaneModule.class)
public class SpaghettiBackplaneAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public BackplaneModule spaghettiBackplaneModule(Sdk sdk) {
        return sdk.module(BackplaneModule.class);
    }
}
