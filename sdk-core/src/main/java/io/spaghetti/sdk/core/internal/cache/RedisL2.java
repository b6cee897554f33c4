package io.spaghetti.sdk.core.internal.cache;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.spaghetti.sdk.core.resilience.RemotePolicy;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.redisson.api.RedissonClient;

/**
 * The cache's access to Redis: every call goes through the {@code redis-cache} circuit breaker
 * with a hard time limit, and every failure becomes an {@link L2Exception} with a metric kind.
 * The client is absent until Redis has been reached.
 */
final class RedisL2 {
    private final RemotePolicy policy;
    private final boolean enabled;
    private volatile RedissonClient client;

    /** @param enabled false where {@code redis.enabled: false}: the caches are L1-only by design */
    RedisL2(RemotePolicy policy, boolean enabled) {
        this.policy = policy;
        this.enabled = enabled;
    }

    boolean enabled() {
        return enabled;
    }

    void attach(RedissonClient client) {
        this.client = client;
    }

    boolean attached() {
        return client != null;
    }

    RedissonClient client() {
        RedissonClient c = client;
        if (c == null) {
            throw new L2Exception(L2Exception.Kind.UNAVAILABLE, null);
        }
        return c;
    }

    RemotePolicy policy() {
        return policy;
    }

    /** Runs one asynchronous Redis operation and waits at most {@code timeout} for it. */
    <T> T call(Duration timeout, Function<RedissonClient, CompletionStage<T>> operation) {
        RedissonClient c = client();
        try {
            return policy.callOnce(() -> await(operation.apply(c), timeout));
        } catch (CallNotPermittedException e) {
            throw new L2Exception(L2Exception.Kind.UNAVAILABLE, e);
        } catch (L2Exception e) {
            throw e;
        } catch (RuntimeException e) {
            throw new L2Exception(L2Exception.Kind.OTHER, e);
        }
    }

    private static <T> T await(CompletionStage<T> stage, Duration timeout) {
        try {
            return stage.toCompletableFuture().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            stage.toCompletableFuture().cancel(false);
            throw new L2Exception(L2Exception.Kind.TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new L2Exception(L2Exception.Kind.OTHER, e);
        } catch (ExecutionException | CompletionException e) {
            throw new L2Exception(L2Exception.Kind.OTHER, e.getCause());
        }
    }

    /** A failed Redis operation of the cache; never reaches a caller. */
    static final class L2Exception extends RuntimeException {
        enum Kind { TIMEOUT, UNAVAILABLE, OTHER }

        final Kind kind;

        L2Exception(Kind kind, Throwable cause) {
            super(kind.name(), cause, false, false);
            this.kind = kind;
        }
    }
}
