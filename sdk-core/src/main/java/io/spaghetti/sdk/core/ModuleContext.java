package io.spaghetti.sdk.core;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.core.resilience.Resilience;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;

/** What the SDK hands a module at start. */
public interface ModuleContext {
    SdkConfig config();

    MeterRegistry meterRegistry();

    /** Resilience4j policies per remote dependency, bound to the meter registry. */
    Resilience resilience();

    /**
     * The SDK's shared scheduler (two daemon threads, stopped on close), for timers only: a task here must not
     * block (wait for a remote answer, start something). Blocking work goes to {@link #blockingExecutor()} or
     * {@link #scheduleBlocking}.
     */
    ScheduledExecutorService scheduler();

    /**
     * The SDK's bounded pool for blocking work (8 daemon threads, 256 queued tasks; a full queue refuses with
     * {@link java.util.concurrent.RejectedExecutionException}), shared by every module, stopped on close. Background
     * module start retries run here.
     */
    ExecutorService blockingExecutor();

    /**
     * Runs {@code task} on {@link #blockingExecutor()} every {@code every}, timed by the scheduler: a run still going
     * when the next is due makes that one skip (never two at once), and a failed run is logged in one line naming
     * {@code job}; the next still runs. Cancel the returned future to stop it.
     */
    ScheduledFuture<?> scheduleBlocking(String job, Duration every, Runnable task);

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
