package io.spaghetti.sdk.spring.boot.autoconfigure;

import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.crypto.CryptoModule;
import io.spaghetti.sdk.crypto.DocumentSigner;
import io.spaghetti.sdk.crypto.FieldEncryptor;
import io.spaghetti.sdk.crypto.TokenProtector;
import io.spaghetti.sdk.spring.boot.internal.ModuleApi;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Module {@code crypto} (sdk-crypto on the classpath): field encryption, signing and token protection. The
 * beans ask the module on every call, so they work as soon as the key source is reached, even when that was
 * after start-up.
 */
@AutoConfiguration(after = SpaghettiSdkAutoConfiguration.class)
@ConditionalOnClass(CryptoModule.class)
public class SpaghettiCryptoAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public CryptoModule spaghettiCryptoModule(Sdk sdk) {
        return sdk.module(CryptoModule.class);
    }

    @Bean
    @ConditionalOnMissingBean
    public FieldEncryptor spaghettiFieldEncryptor(CryptoModule crypto) {
        return ModuleApi.deferred(FieldEncryptor.class, crypto::fields);
    }

    @Bean
    @ConditionalOnMissingBean
    public DocumentSigner spaghettiDocumentSigner(CryptoModule crypto) {
        return ModuleApi.deferred(DocumentSigner.class, crypto::signer);
    }

    @Bean
    @ConditionalOnMissingBean
    public TokenProtector spaghettiTokenProtector(CryptoModule crypto) {
        return ModuleApi.deferred(TokenProtector.class, crypto::tokens);
    }
}
