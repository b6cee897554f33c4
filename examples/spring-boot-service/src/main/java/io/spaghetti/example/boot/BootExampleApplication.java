package io.spaghetti.example.boot;

import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.crypto.CryptoException;
import io.spaghetti.sdk.crypto.TokenProtector;
import io.spaghetti.sdk.signalr.Authenticator;
import io.spaghetti.sdk.signalr.HubUser;
import io.spaghetti.sdk.spring.boot.SignalRHubMapping;
import java.util.Optional;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot service on the SDK, through {@code sdk-spring-boot-starter}: copy it to start a new one.
 * The starter starts every SDK module on the classpath with the application and binds {@code spaghetti.*}
 * from application.yaml, profiles, environment variables and arguments; this class only adds what is the
 * service's own: caching on, and the collaboration hub.
 */
@SpringBootApplication
@EnableCaching
public class BootExampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(BootExampleApplication.class, args);
    }

    /**
     * The collaboration hub on this service's own port. Anonymous access is for local environments only;
     * elsewhere clients present a {@code tk1.} token that {@code spaghetti.crypto.token-key} protected for the
     * purpose {@code collaboration-user}.
     */
    @Bean
    SignalRHubMapping documentHub(SdkConfig config, TokenProtector tokens) {
        String environment = config.service().environment();
        boolean local = environment.equals("dev") || environment.equals("local");
        Authenticator authenticator = local ? Authenticator.anonymous() : token -> {
            if (token == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(new HubUser(tokens.unprotect(token, "collaboration-user")));
            } catch (CryptoException refused) {
                return Optional.empty();
            }
        };
        return SignalRHubMapping.of(DocumentHub.PATH, DocumentHub.NAME, new DocumentHub(), authenticator);
    }
}
