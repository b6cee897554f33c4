package io.spaghetti.sdk.crypto.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spaghetti.sdk.core.config.Secret;
import io.spaghetti.sdk.core.json.SdkJson;
import io.spaghetti.sdk.core.resilience.RemotePolicy;
import io.spaghetti.sdk.crypto.RotationEvent;
import io.spaghetti.sdk.crypto.RotationListener;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts each rotation event to the team's chat webhooks (Slack and Microsoft Teams incoming-webhook formats) on a
 * thread of its own, through the {@code rotation-webhook} policy (retried, bounded by its timeout), so a slow or
 * failing receiver never holds up a rotation. {@link #close()} waits for what is still queued, up to a bound.
 */
public final class RotationNotifier implements RotationListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RotationNotifier.class);
    private static final ObjectMapper JSON = SdkJson.mapper();

    /** A webhook and the message format it takes. */
    public record Webhook(Format format, Secret url) {
    }

    public enum Format { SLACK, TEAMS }

    private final List<Webhook> webhooks;
    private final String service;
    private final RemotePolicy policy;
    private final Duration drain;
    private final HttpClient http;
    private final ExecutorService sender;

    public RotationNotifier(List<Webhook> webhooks, String service, RemotePolicy policy, Duration timeout,
            ThreadFactory threads) {
        this.webhooks = List.copyOf(webhooks);
        this.service = service;
        this.policy = policy;
        this.drain = timeout.multipliedBy(4);
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.sender = Executors.newSingleThreadExecutor(threads);
    }

    @Override
    public void onRotation(RotationEvent event) {
        for (Webhook w : webhooks) {
            sender.execute(() -> send(w, event));
        }
    }

    private void send(Webhook w, RotationEvent event) {
        String body = w.format() == Format.SLACK ? slack(event) : teams(event);
        try {
            policy.call(() -> {
                HttpResponse<Void> r;
                try {
                    r = http.send(HttpRequest.newBuilder(URI.create(w.url().reveal()))
                            .timeout(policy.timeLimiter().getTimeLimiterConfig().getTimeoutDuration())
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.discarding());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
                if (r.statusCode() >= 300) {
                    throw new IllegalStateException("the " + w.format() + " webhook answered " + r.statusCode());
                }
                return null;
            });
        } catch (RuntimeException e) {
            // the URL holds the webhook's secret: only the format is named
            log.warn("Rotation notice ({}) to the {} webhook not delivered: {}", event.kind(), w.format(),
                    e.getClass().getSimpleName());
        }
    }

    /** The one-line text both formats carry. */
    String text(RotationEvent e) {
        return switch (e.kind()) {
            case KEK_ROTATED -> "Key " + e.key() + " rotated by " + service + ": new data keys use version "
                    + e.version() + " (was " + e.previousVersion() + "); older values still decrypt.";
            case KEK_VERSION_CHANGED -> service + " now wraps new data keys with version " + e.version() + " of key "
                    + e.key() + " (was " + e.previousVersion() + ").";
            case VALUES_REWRAPPED -> service + " rewrapped " + e.values() + " stored values under version "
                    + e.version() + " of key " + e.key() + ".";
            case ROTATION_FAILED -> "Rotation of key " + e.key() + " failed in " + service + ": " + e.problem()
                    + ". Version " + e.previousVersion() + " stays in use.";
        };
    }

    private String slack(RotationEvent e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("text", (e.kind() == RotationEvent.Kind.ROTATION_FAILED ? ":warning: " : ":key: ") + text(e));
        return n.toString();
    }

    private String teams(RotationEvent e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("@type", "MessageCard");
        n.put("@context", "https://schema.org/extensions");
        n.put("summary", "Key rotation: " + e.kind());
        n.put("themeColor", e.kind() == RotationEvent.Kind.ROTATION_FAILED ? "D13438" : "2EB886");
        n.put("title", "Key rotation (" + e.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")");
        n.put("text", text(e));
        ObjectNode facts = n.putArray("sections").addObject();
        List<String[]> pairs = new ArrayList<>();
        pairs.add(new String[] {"Service", service});
        pairs.add(new String[] {"Key", e.key()});
        if (e.version() != null) {
            pairs.add(new String[] {"Version", e.version()});
        }
        pairs.add(new String[] {"At", e.at().toString()});
        var list = facts.putArray("facts");
        pairs.forEach(p -> list.addObject().put("name", p[0]).put("value", p[1]));
        return n.toString();
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            if (!sender.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Rotation notices still queued after {} s were dropped", drain.toSeconds());
                sender.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sender.shutdownNow();
        }
    }
}
