package io.spaghetti.sdk.backplane;

import java.time.Instant;

/** One connection active in a group (a document, a room), as last reported by its server. */
public record Presence(String userId, String connectionId, String serverName, Instant expiresAt) {
}
