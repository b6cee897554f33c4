package io.spaghetti.sdk.spring.boot.autoconfigure;

import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.signalr.SignalRConfig;
import io.spaghetti.sdk.signalr.SignalRHubs;
import io.spaghetti.sdk.signalr.SignalRModule;
import io.spaghetti.sdk.spring.boot.SignalRHubMapping;
import io.spaghetti.sdk.spring.boot.internal.HubContextRegistrar;
import io.spaghetti.sdk.spring.boot.internal.NegotiateHandler;
import io.spaghetti.sdk.spring.boot.internal.SpringHubWebSocketHandler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import org.springframework.web.socket.config.annotation.DelegatingWebSocketConfiguration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/**
 * Module {@code signalr} (sdk-signalr on the classpath): every {@link SignalRHubMapping} bean is served on the
 * service's own port through Spring's WebSocket support, so the official SignalR clients connect to a Boot
 * service. The transport is WebSockets (negotiate offers only it); sends reach every server through the backplane.
 */
@AutoConfiguration(after = SpaghettiSdkAutoConfiguration.class)
@ConditionalOnClass(SignalRModule.class)
public class SpaghettiSignalRAutoConfiguration {

    /** A {@code HubContext} bean per hub mapping: {@code documentHub} gives {@code documentHubContext}. */
    @Bean
    public static HubContextRegistrar spaghettiHubContexts() {
        return new HubContextRegistrar();
    }

    @Bean
    @ConditionalOnMissingBean
    public SignalRModule spaghettiSignalRModule(Sdk sdk) {
        return sdk.module(SignalRModule.class);
    }

    @Bean
    @ConditionalOnMissingBean
    public SignalRHubs spaghettiSignalRHubs(SignalRModule signalr, ObjectProvider<SignalRHubMapping> mappings) {
        SignalRHubs hubs = signalr.hubs();
        mappings.orderedStream().forEach(m -> hubs.map(m.path(), m.hubName(), m.hub(), m.authenticator()));
        return hubs;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass({WebSocketConfigurer.class, SimpleUrlHandlerMapping.class, jakarta.websocket.Session.class})
    static class OnServletWebSockets {

        @Configuration(proxyBeanMethods = false)
        @ConditionalOnMissingBean(DelegatingWebSocketConfiguration.class)
        @EnableWebSocket
        static class EnableWebSocketsIfTheServiceDidNot {
        }

        @Bean
        HubSockets spaghettiHubSockets(SignalRHubs hubs, List<SignalRHubMapping> mappings, Sdk sdk) {
            return new HubSockets(hubs, mappings, sdk.config().section(SignalRConfig.SECTION));
        }

        /** {@code POST {path}/negotiate} of each hub, ahead of the service's own controllers. */
        @Bean
        SimpleUrlHandlerMapping spaghettiNegotiateMapping(SignalRHubs hubs, List<SignalRHubMapping> mappings) {
            Map<String, Object> urls = new LinkedHashMap<>();
            mappings.forEach(m -> urls.put(m.path() + "/negotiate", new NegotiateHandler(hubs, m.path())));
            return new SimpleUrlHandlerMapping(urls, Ordered.HIGHEST_PRECEDENCE + 10);
        }

        /** The container's WebSocket buffers hold a whole hub message up to {@code signalr.maxMessageSize}. */
        @Bean
        @ConditionalOnMissingBean
        ServletServerContainerFactoryBean spaghettiWebSocketContainer(Sdk sdk) {
            int max = sdk.config().section(SignalRConfig.SECTION).maxMessageSize();
            ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
            container.setMaxTextMessageBufferSize(max);
            container.setMaxBinaryMessageBufferSize(max);
            return container;
        }
    }

    /** Registers the hubs' WebSocket handlers and owns the sender pool of containers without asynchronous sends. */
    static final class HubSockets implements WebSocketConfigurer, DisposableBean {
        private final SignalRHubs hubs;
        private final List<SignalRHubMapping> mappings;
        private final SignalRConfig config;
        private final ExecutorService sender = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "spaghetti-signalr-send");
            t.setDaemon(true);
            return t;
        });

        HubSockets(SignalRHubs hubs, List<SignalRHubMapping> mappings, SignalRConfig config) {
            this.hubs = hubs;
            this.mappings = mappings;
            this.config = config;
        }

        @Override
        public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
            for (SignalRHubMapping m : mappings) {
                var registration = registry.addHandler(new SpringHubWebSocketHandler(hubs, m.path(), sender), m.path());
                if (!config.allowedOrigins().isEmpty()) {
                    registration.setAllowedOriginPatterns(config.allowedOrigins().toArray(String[]::new));
                }
            }
        }

        @Override
        public void destroy() {
            sender.shutdownNow();
        }
    }
}
