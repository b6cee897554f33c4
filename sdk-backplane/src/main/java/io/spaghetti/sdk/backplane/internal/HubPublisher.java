package io.spaghetti.sdk.backplane.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.spaghetti.sdk.backplane.BackplaneConfig;
import io.spaghetti.sdk.backplane.BackplaneException;
import io.spaghetti.sdk.backplane.internal.BackplaneMetrics.Kind;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;

/**
 * A hub's sends to Redis: its channel names, and every send through the {@code redis-backplane} circuit breaker
 * within the policy's deadline, counted by kind; a failed send completes with a {@link BackplaneException} that
 * says why.
 */
final class HubPublisher {
    private final String hub;
    private final BackplaneConfig config;
    private final RedissonClient client;
    private final CircuitBreaker circuitBreaker;
    private final Duration deadline;
    private final BackplaneMetrics metrics;

    HubPublisher(String hub, BackplaneConfig config, RedissonClient client, CircuitBreaker circuitBreaker,
            Duration deadline, BackplaneMetrics metrics) {
        this.hub = hub;
        this.config = config;
        this.client = client;
        this.circuitBreaker = circuitBreaker;
        this.deadline = deadline;
        this.metrics = metrics;
    }

    /** The full channel name of {@code suffix} ({@code all}, {@code group:<name>}...): prefix and hub first. */
    String channel(String suffix) {
        return config.channelPrefix() + hub + ":" + suffix;
    }

    RTopic topic(String channel) {
        return config.shardedPubSub() ? client.getShardedTopic(channel, ByteArrayCodec.INSTANCE)
                : client.getTopic(channel, ByteArrayCodec.INSTANCE);
    }

    /** Publishes on pub/sub; completes with the number of servers that received it. */
    CompletableFuture<Long> publish(Kind kind, String channel, byte[] message) {
        return guarded(kind, () -> topic(channel).publishAsync(message));
    }

    /** Runs {@code send} (one Redis operation) through the circuit breaker, within the deadline, counted by kind. */
    CompletableFuture<Long> guarded(Kind kind, Supplier<CompletionStage<Long>> send) {
        if (!circuitBreaker.tryAcquirePermission()) {
            metrics.publishFailed(kind);
            return CompletableFuture.failedFuture(new BackplaneException("The Redis backplane is unavailable: its "
                    + "circuit breaker is open after repeated publish failures, so this " + kind.description()
                    + " message was not sent. It closes again once Redis answers; check Redis health."));
        }
        long start = System.nanoTime();
        CompletableFuture<Long> result = new CompletableFuture<>();
        CompletableFuture<Long> sent;
        try {
            sent = send.get().toCompletableFuture();
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.orTimeout(deadline.toNanos(), TimeUnit.NANOSECONDS).whenComplete((receivers, err) -> {
            long took = System.nanoTime() - start;
            if (err != null) {
                circuitBreaker.onError(took, TimeUnit.NANOSECONDS, err);
                metrics.publishFailed(kind);
                result.completeExceptionally(new BackplaneException("The " + kind.description() + " message for hub "
                        + hub + " was not sent: " + why(err), err));
            } else {
                circuitBreaker.onSuccess(took, TimeUnit.NANOSECONDS);
                metrics.sent(kind);
                result.complete(receivers);
            }
        });
        return result;
    }

    private String why(Throwable err) {
        if (err instanceof TimeoutException) {
            return "Redis did not answer within " + deadline + " (resilience timeout of redis-backplane)";
        }
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        return "Redis refused it: " + cause.getMessage();
    }
}
