package io.spaghetti.sdk.flags;

import java.util.Set;

/** Where the flags' state comes from, and when it changes. Called on an SDK thread: return quickly. */
public interface FlagsListener {
    /** The server answers again; evaluations use its current state. */
    default void serverReachable() {
    }

    /** The server stopped answering; evaluations continue from the last known state ({@code source}). */
    default void serverUnreachable(String source) {
    }

    /**
     * The server refused the SDK's credentials (HTTP 401 or 403): waiting will not help; evaluations continue from
     * the last known state until the token is fixed.
     */
    default void serverRefused(String reason) {
    }

    /** A new state arrived in which these flags changed (added, removed or with other rules). */
    default void flagsChanged(Set<String> flags) {
    }
}
