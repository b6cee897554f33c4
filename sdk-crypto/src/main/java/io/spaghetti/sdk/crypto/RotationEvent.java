package io.spaghetti.sdk.crypto;

import java.time.Instant;

/**
 * Something that happened to the KEK's versions, for the team's chat and audit trail. Never carries key material.
 *
 * @param previousVersion the version new data keys used before, or null
 * @param version         the version they use now, or null (a failure)
 * @param values          with {@link Kind#VALUES_REWRAPPED}: how many stored values were rewrapped; else 0
 * @param problem         with {@link Kind#ROTATION_FAILED}: what failed (the exception's message); else null
 */
public record RotationEvent(Kind kind, String key, String previousVersion, String version, long values,
        String problem, Instant at) {

    public enum Kind {
        /** This service created a new KEK version. */
        KEK_ROTATED,
        /** A new KEK version made elsewhere (the vault's rotation policy, an operator) is in use here. */
        KEK_VERSION_CHANGED,
        /** Stored values were rewrapped under the current version without being decrypted. */
        VALUES_REWRAPPED,
        /** A rotation failed: the previous version stays in use. */
        ROTATION_FAILED
    }
}
