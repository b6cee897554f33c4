package io.spaghetti.sdk.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openfeature.sdk.Client;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spaghetti.sdk.backplane.HubContext;
import io.spaghetti.sdk.core.Health;
import io.spaghetti.sdk.core.HealthStatus;
import io.spaghetti.sdk.core.ModuleContext;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.SdkModule;
import io.spaghetti.sdk.core.cache.Caches;
import io.spaghetti.sdk.core.config.SdkConfigException;
import io.spaghetti.sdk.crypto.CryptoModule;
import io.spaghetti.sdk.crypto.FieldContext;
import io.spaghetti.sdk.crypto.FieldEncryptor;
import io.spaghetti.sdk.flags.Flags;
import io.spaghetti.sdk.search.DocumentStore;
import io.spaghetti.sdk.search.SearchModule;
import io.spaghetti.sdk.signalr.Authenticator;
import io.spaghetti.sdk.signalr.Hub;
import io.spaghetti.sdk.signalr.SignalRHubs;
import io.spaghetti.sdk.signalr.SignalRModule;
import io.spaghetti.sdk.spring.boot.SdkCustomizer;
import io.spaghetti.sdk.spring.boot.SignalRHubMapping;
import io.spaghetti.sdk.spring.boot.internal.SdkConfigFailureAnalyzer;
import io.spaghetti.sdk.spring.boot.internal.TieredCacheManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The starter's auto-configuration, on Redis and Elasticsearch switched off (the ITs of the Boot example use them). */
class SpaghettiAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SpaghettiSdkAutoConfiguration.class,
                    SpaghettiHealthAutoConfiguration.class, SpaghettiCacheAutoConfiguration.class,
                    SpaghettiSearchAutoConfiguration.class, SpaghettiBackplaneAutoConfiguration.class,
                    SpaghettiSignalRAutoConfiguration.class, SpaghettiCryptoAutoConfiguration.class,
                    SpaghettiFlagsAutoConfiguration.class))
            .withPropertyValues("spaghetti.redis.enabled=false", "spaghetti.search.enabled=false",
                    "spaghetti.service.name=autoconfig-test");

    @Test
    void everyModuleOnTheClasspathHasItsBeansAndItsHealthIndicator() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(Sdk.class).hasSingleBean(Caches.class).hasSingleBean(SearchModule.class)
                    .hasSingleBean(FieldEncryptor.class).hasSingleBean(Flags.class).hasSingleBean(SignalRHubs.class)
                    .hasSingleBean(TieredCacheManager.class).hasSingleBean(Client.class);
            assertThat(context.getBeansOfType(HealthIndicator.class)).containsKeys("spaghettiRedisHealthIndicator",
                    "spaghettiCacheHealthIndicator", "spaghettiSearchHealthIndicator", "spaghettiBackplaneHealthIndicator",
                    "spaghettiSignalrHealthIndicator", "spaghettiCryptoHealthIndicator", "spaghettiFlagsHealthIndicator");
            assertThat(context.getBean("spaghettiSearchHealthIndicator", HealthIndicator.class).health().getStatus().getCode())
                    .isEqualTo("DISABLED");
            FieldEncryptor fields = context.getBean(FieldEncryptor.class);
            FieldContext where = FieldContext.of("t1", "profile.email");
            assertThat(fields.decryptString(fields.encryptString("a@example.com", where), where)).isEqualTo("a@example.com");
            assertThat(context.getBean(Flags.class).knownFlags()).isNotEmpty();
        });
    }

    @Test
    void aModuleWhoseJarIsAbsentHasNoBeans() {
        runner.withClassLoader(new FilteredClassLoader(SearchModule.class, CryptoModule.class,
                SignalRModule.class))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(Sdk.class).doesNotHaveBean(SearchModule.class)
                            .doesNotHaveBean(DocumentStore.class).doesNotHaveBean(FieldEncryptor.class)
                            .doesNotHaveBean(SignalRHubs.class).hasSingleBean(Flags.class);
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        static final MeterRegistry METERS = new SimpleMeterRegistry();

        @Bean
        CacheManager cacheManager() {
            return new ConcurrentMapCacheManager();
        }

        @Bean
        FieldEncryptor myEncryptor() {
            return (FieldEncryptor) java.lang.reflect.Proxy.newProxyInstance(FieldEncryptor.class.getClassLoader(),
                    new Class<?>[] {FieldEncryptor.class}, (proxy, method, args) -> {
                        throw new UnsupportedOperationException("the service's own encryptor");
                    });
        }

        @Bean
        MeterRegistry meterRegistry() {
            return METERS;
        }

        @Bean
        io.micrometer.observation.ObservationRegistry observationRegistry() {
            return OBSERVATIONS;
        }

        static final io.micrometer.observation.ObservationRegistry OBSERVATIONS =
                io.micrometer.observation.ObservationRegistry.create();
    }

    @Test
    void theServicesOwnBeansWinAndItsMeterRegistryIsUsed() {
        runner.withUserConfiguration(OwnBeans.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(CacheManager.class)).isInstanceOf(ConcurrentMapCacheManager.class);
            assertThat(context).doesNotHaveBean(TieredCacheManager.class);
            assertThat(context.getBeansOfType(FieldEncryptor.class)).containsOnlyKeys("myEncryptor");
            assertThat(context.getBean(Sdk.class).meterRegistry()).isSameAs(OwnBeans.METERS);
            // the application's tracing sees the SDK's operations
            assertThat(context.getBean(Sdk.class).observationRegistry()).isSameAs(OwnBeans.OBSERVATIONS);
            assertThat(OwnBeans.METERS.find("spaghetti.sdk.module.status").gauges()).isNotEmpty();
        });
    }

    @Test
    void everyConfigurationProblemIsReportedAtOnceWithItsKeyAndFixAndNoSecret() {
        runner.withPropertyValues("spaghetti.redis.adresses=127.0.0.1:6379", "spaghetti.redis.connect-timeout=fast",
                "spaghetti.cache.defaults.l1-max-size=-1", "spaghetti.redis.password=hunter2-plain",
                "spaghetti.serach.enabled=false").run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            SdkConfigException config = findCause(failure, SdkConfigException.class);
            assertThat(config).as("an SdkConfigException in %s", failure).isNotNull();
            FailureAnalysis analysis = new SdkConfigFailureAnalyzer().analyze(failure);
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("5 problems")
                    .contains("spaghetti.redis.adresses: is not a known key").contains("addresses")
                    .contains("spaghetti.redis.connectTimeout").contains("spaghetti.cache.defaults: l1MaxSize must be at least 1")
                    .contains("spaghetti.redis.password").contains("spaghetti.serach").contains("search")
                    .doesNotContain("hunter2-plain");
            assertThat(analysis.getAction()).contains("application.yaml");
        });
    }

    interface DocumentCatalog {
        String load(String id);

        void evict(String id);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class Cached {
        static final AtomicInteger LOADS = new AtomicInteger();

        @Bean
        DocumentCatalog catalog() {
            return new DocumentCatalog() {
                @Override
                @Cacheable("catalog")
                public String load(String id) {
                    LOADS.incrementAndGet();
                    return "document " + id;
                }

                @Override
                @CacheEvict("catalog")
                public void evict(String id) {
                }
            };
        }
    }

    @Test
    void cacheableMethodsGoThroughTheTieredCache() {
        runner.withUserConfiguration(Cached.class).run(context -> {
            DocumentCatalog catalog = context.getBean(DocumentCatalog.class);
            Cached.LOADS.set(0);
            assertThat(catalog.load("a")).isEqualTo("document a");
            assertThat(catalog.load("a")).isEqualTo("document a");
            assertThat(Cached.LOADS).hasValue(1);
            assertThat(context.getBean(Caches.class).cache("catalog", String.class).getIfPresent("a"))
                    .contains("document a");
            catalog.evict("a");
            catalog.load("a");
            assertThat(Cached.LOADS).hasValue(2);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class WithAHub {
        static final Hub HUB = new Hub() {
        };

        @Bean
        SignalRHubMapping documentHub() {
            return SignalRHubMapping.of("/hubs/documents", "DocumentHub", HUB,
                    Authenticator.anonymous());
        }
    }

    @Test
    void eachHubMappingHasItsHubContextBean() {
        runner.withUserConfiguration(WithAHub.class).run(context -> {
            assertThat(context).hasNotFailed();
            HubContext hub = context.getBean("documentHubContext",
                    HubContext.class);
            assertThat(hub.name()).isEqualTo("DocumentHub");
            hub.sendAll("Ping").get(5, TimeUnit.SECONDS);
            assertThat(context.getBean(SignalRHubs.class).connectionCount()).isZero();
        });
    }

    /** Records when the web server's graceful shutdown (a late SmartLifecycle) stops and when the SDK's modules close. */
    @Configuration(proxyBeanMethods = false)
    static class ShutdownOrder {
        static final List<String> EVENTS = new CopyOnWriteArrayList<>();

        @Bean
        SdkCustomizer probeModule() {
            return builder -> builder.module(new SdkModule() {
                @Override
                public String name() {
                    return "probe";
                }

                @Override
                public void start(ModuleContext context) {
                }

                @Override
                public Health health() {
                    return Health.up();
                }

                @Override
                public void close() {
                    EVENTS.add("sdk module closed");
                }
            });
        }

        /** In the phase of Boot's WebServerGracefulShutdownLifecycle (SmartLifecycle.DEFAULT_PHASE - 2048). */
        @Bean
        SmartLifecycle webServerGracefulShutdown() {
            return new SmartLifecycle() {
                private volatile boolean running;

                @Override
                public void start() {
                    running = true;
                }

                @Override
                public void stop() {
                    EVENTS.add("web server drained");
                    running = false;
                }

                @Override
                public boolean isRunning() {
                    return running;
                }

                @Override
                public int getPhase() {
                    return SmartLifecycle.DEFAULT_PHASE - 2048;
                }
            };
        }
    }

    @Test
    void theSdkClosesWithTheContextAfterTheWebServerHasDrained() {
        ShutdownOrder.EVENTS.clear();
        runner.withUserConfiguration(ShutdownOrder.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(Sdk.class).health().module("probe").status())
                    .isEqualTo(HealthStatus.UP);
            assertThat(ShutdownOrder.EVENTS).isEmpty();
        });
        assertThat(ShutdownOrder.EVENTS).containsExactly("web server drained", "sdk module closed");
    }

    interface SlowCatalog {
        String load(String id);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class SingleFlight {
        static final AtomicInteger LOADS = new AtomicInteger();

        @Bean
        SlowCatalog slowCatalog() {
            return new SlowCatalog() {
                @Override
                @Cacheable(cacheNames = "slow", sync = true)
                public String load(String id) {
                    LOADS.incrementAndGet();
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return "loaded " + id;
                }
            };
        }
    }

    @Test
    void cacheableSyncIsTheTieredCachesSingleFlight() {
        runner.withUserConfiguration(SingleFlight.class).run(context -> {
            SlowCatalog catalog = context.getBean(SlowCatalog.class);
            SingleFlight.LOADS.set(0);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<String>> results = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    results.add(pool.submit(() -> catalog.load("k")));
                }
                for (Future<String> r : results) {
                    assertThat(r.get(5, TimeUnit.SECONDS)).isEqualTo("loaded k");
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(SingleFlight.LOADS).as("eight concurrent callers, one load").hasValue(1);
        });
    }

    private static <T extends Throwable> T findCause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
