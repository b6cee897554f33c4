package io.spaghetti.sdk.flags;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Feature flags. Never throws for an unknown flag or an unreachable server: the answer is false with a reason. */
public interface Flags {

    boolean isEnabled(String flag, FlagContext context);

    /** The value with its variant and reason. */
    FlagEvaluation evaluate(String flag, FlagContext context);

    /** Flags currently known (from the server, the backup file or the bundled definitions). */
    Set<String> knownFlags();

    /** Tells {@code listener} when the server comes and goes and when flags change. */
    void addListener(FlagsListener listener);

    /** Time since the last successful fetch from the server; empty when no server is configured or none succeeded yet. */
    Optional<Duration> lastGoodFetchAge();
}
