package io.spaghetti.sdk.spring.boot;

import io.spaghetti.sdk.core.Sdk;

/**
 * Adjusts the SDK before the starter starts it: declare one as a bean, e.g. to hand a module an instance built
 * in code ({@code builder.module(new CryptoModule(myKeyProvider))}). The starter itself uses one to share an
 * existing {@code ElasticsearchClient} bean.
 */
@FunctionalInterface
public interface SdkCustomizer {
    void customize(Sdk.Builder builder);
}
