package io.spaghetti.sdk.crypto.internal;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.core.instrument.Timer;
import io.spaghetti.sdk.core.resilience.RemotePolicy;
import io.spaghetti.sdk.crypto.CryptoException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every key operation through the resilience policy, and records it: one audit event on
 * the {@code io.spaghetti.sdk.crypto.audit} logger (names and versions only, never key material
 * or data) and the {@code crypto.key.*} metrics.
 */
public final class KeyOperations {
    static final Logger AUDIT = LoggerFactory.getLogger("io.spaghetti.sdk.crypto.audit");
    /** Observations: wrap, unwrap, sign, rotate... as spans (tags operation and provider). */
    public static final String OPERATION = "spaghetti.crypto.key.operation";
    private static final Observation.Event DEK_CACHE_HIT = Observation.Event.of("crypto.dek.cache.hit");

    private final KekProvider provider;
    private final RemotePolicy policy;
    private final MeterRegistry registry;
    private final Counter authFailures;
    private final ObservationRegistry observations;

    public KeyOperations(KekProvider provider, RemotePolicy policy, MeterRegistry registry,
            ObservationRegistry observations) {
        this.provider = provider;
        this.observations = observations;
        this.policy = policy;
        this.registry = registry;
        this.authFailures = Counter.builder("crypto.vault.auth.failures").tag("provider", provider.name())
                .description("Key service answers 401/403 to the SDK's credentials").register(registry);
    }

    public KekProvider provider() {
        return provider;
    }

    /** Runs {@code call} (for a remote provider: retried and guarded by the circuit breaker), then audits it. */
    public <T> T run(String operation, String keyName, String version, Supplier<T> call) {
        if (observations.isNoop()) {
            return audited(operation, keyName, version, call);
        }
        Observation o = Observation.createNotStarted(OPERATION, observations).contextualName("crypto key " + operation)
                .lowCardinalityKeyValue("operation", operation).lowCardinalityKeyValue("provider", provider.name());
        return o.observe(() -> audited(operation, keyName, version, call));
    }

    /**
     * A data key came from the cache, with no key service call: an event on the current span (the request that
     * decrypted), not a span of its own.
     */
    public void dataKeyCacheHit() {
        if (observations.isNoop()) {
            return;
        }
        Observation current = observations.getCurrentObservation();
        if (current != null) {
            current.event(DEK_CACHE_HIT);
        }
    }

    private <T> T audited(String operation, String keyName, String version, Supplier<T> call) {
        long start = System.nanoTime();
        try {
            T result = provider.remote() ? policy.call(call) : call.get();
            record(operation, keyName, version, "success", start, null);
            return result;
        } catch (CallNotPermittedException open) {
            CryptoException e = new CryptoException(CryptoException.Reason.VAULT_UNAVAILABLE, provider.name()
                    + " is unavailable (circuit open after repeated failures): cannot " + operation + " key '" + keyName
                    + "'. Values whose data key is cached still encrypt and decrypt; this operation needs the key "
                    + "service. It is tried again after the circuit's wait.", open);
            record(operation, keyName, version, "rejected", start, e);
            throw e;
        } catch (RuntimeException failure) {
            CryptoException e = failure instanceof CryptoException ce ? ce
                    : provider.translate(failure, operation, keyName);
            if (e.reason() == CryptoException.Reason.VAULT_AUTH_FAILED) {
                authFailures.increment();
            }
            record(operation, keyName, version, "failure", start, e);
            throw e;
        }
    }

    private void record(String operation, String keyName, String version, String outcome, long start,
            CryptoException error) {
        long nanos = System.nanoTime() - start;
        Counter.builder("crypto.key.operations").tag("operation", operation).tag("provider", provider.name())
                .tag("outcome", outcome).description("Key operations by outcome").register(registry).increment();
        Timer.builder("crypto.key.operation.duration").tag("operation", operation).tag("provider", provider.name())
                .description("Key operations including retries").publishPercentileHistogram().register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
        var event = (error == null ? AUDIT.atInfo() : AUDIT.atWarn())
                .addKeyValue("operation", operation)
                .addKeyValue("provider", provider.name())
                .addKeyValue("key", keyName)
                .addKeyValue("version", version == null ? "latest" : version)
                .addKeyValue("outcome", outcome)
                .addKeyValue("durationMs", TimeUnit.NANOSECONDS.toMillis(nanos));
        if (error != null) {
            event = event.addKeyValue("reason", error.reason());
        }
        event.log("key operation");
    }
}
