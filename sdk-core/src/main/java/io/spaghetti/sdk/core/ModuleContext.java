package io.spaghetti.sdk.core;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.core.resilience.Resilience;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/** What the SDK hands a module at start. */
public interface ModuleContext {
    SdkConfig config();

    MeterRegistry meterRegistry();

    /** Resilience4j policies per remote dependency, bound to the meter registry. */
    Resilience resilience();

    /** The SDK's shared scheduler (daemon threads, stopped on close). Keep tasks short. */
    ScheduledExecutorService scheduler();

    /** Threads named {@code spaghetti-sdk-<purpose>-N}, daemon, for modules that need their own. */
    ThreadFactory threadFactory(String purpose);

    /**
     * Where the module reports its operations (cache reads, searches, sends, key calls) as observations; an
     * observation's span is the parent of what runs inside its scope, also on the SDK's scheduler and remote-call
     * threads. Without tracing and without handlers, {@link ObservationRegistry#isNoop()} is true.
     */
    default ObservationRegistry observationRegistry() {
        return ObservationRegistry.NOOP;
    }

    /** Another module, declared in {@link SdkModule#dependsOn()}. */
    <M extends SdkModule> M module(Class<M> type);
}
