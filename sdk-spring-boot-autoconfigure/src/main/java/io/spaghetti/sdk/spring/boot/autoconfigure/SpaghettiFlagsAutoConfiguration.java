package io.spaghetti.sdk.spring.boot.autoconfigure;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.OpenFeatureAPI;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.flags.Flags;
import io.spaghetti.sdk.flags.FlagsModule;
import io.spaghetti.sdk.flags.openfeature.SpaghettiFlagsProvider;
import io.spaghetti.sdk.spring.boot.internal.ModuleApi;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** Module {@code flags} (sdk-flags on the classpath): {@code Flags} and an OpenFeature {@code Client} on the same flags. */
@AutoConfiguration(after = SpaghettiSdkAutoConfiguration.class)
@ConditionalOnClass(FlagsModule.class)
public class SpaghettiFlagsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public FlagsModule spaghettiFlagsModule(Sdk sdk) {
        return sdk.module(FlagsModule.class);
    }

    @Bean
    @ConditionalOnMissingBean
    public Flags spaghettiFlags(FlagsModule flags) {
        return ModuleApi.deferred(Flags.class, flags::flags);
    }

    /** The OpenFeature client of the SDK's provider, registered under the service's name (not as the global default). */
    @Bean
    @ConditionalOnMissingBean
    public Client spaghettiOpenFeatureClient(Flags flags, Sdk sdk) {
        String domain = sdk.config().service().name();
        OpenFeatureAPI api = OpenFeatureAPI.getInstance();
        api.setProviderAndWait(domain, new SpaghettiFlagsProvider(flags));
        return api.getClient(domain);
    }
}
