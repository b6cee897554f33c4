package io.spaghetti.sdk.backplane.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.spaghetti.sdk.backplane.BackplaneException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The client results this server waits for: each invocation id with the connection that owes the answer, failed
 * when the answer does not come within the limit, when that connection goes away, or when the hub closes.
 */
final class PendingResults {
    private record Pending(CompletableFuture<JsonNode> future, String connectionId) {
    }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    private final BackplaneMetrics metrics;

    PendingResults(ScheduledExecutorService scheduler, BackplaneMetrics metrics) {
        this.scheduler = scheduler;
        this.metrics = metrics;
    }

    /** Waits for {@code connectionId}'s answer to {@code invocationId} ({@code target}), at most {@code limit}. */
    CompletableFuture<JsonNode> await(String invocationId, String connectionId, String target, Duration limit) {
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        pending.put(invocationId, new Pending(result, connectionId));
        ScheduledFuture<?> timeout = scheduler.schedule(() -> {
            if (pending.remove(invocationId) != null) {
                metrics.clientResult("timeout");
                result.completeExceptionally(new BackplaneException("Connection '" + connectionId
                        + "' did not answer '" + target + "' within " + limit));
            }
        }, limit.toMillis(), TimeUnit.MILLISECONDS);
        result.whenComplete((v, err) -> {
            timeout.cancel(false);
            pending.remove(invocationId);
        });
        return result;
    }

    /** Whether {@code connectionId} owes the answer to {@code invocationId} here. */
    boolean awaits(String invocationId, String connectionId) {
        Pending p = pending.get(invocationId);
        return p != null && p.connectionId().equals(connectionId);
    }

    /** The answer, or the failure, of {@code invocationId}; nothing when it is no longer awaited. */
    void finish(String invocationId, JsonNode value, Throwable error) {
        Pending p = pending.remove(invocationId);
        if (p == null) {
            return;
        }
        metrics.clientResult(error == null ? "success" : "error");
        if (error == null) {
            p.future().complete(value);
        } else {
            p.future().completeExceptionally(error);
        }
    }

    /** {@code connectionId} went away: what it owed fails. */
    void disconnected(String connectionId) {
        pending.forEach((invocationId, p) -> {
            if (p.connectionId().equals(connectionId)) {
                finish(invocationId, null, clientError("Connection disconnected."));
            }
        });
    }

    void failAll(BackplaneException closed) {
        pending.values().forEach(p -> p.future().completeExceptionally(closed));
    }

    static BackplaneException clientError(String error) {
        return new BackplaneException("The client answered with an error: " + error);
    }
}
