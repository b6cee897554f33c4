package io.spaghetti.sdk.spring.boot.internal;

import io.spaghetti.sdk.core.config.ConfigProblem;
import io.spaghetti.sdk.core.config.SdkConfigException;
import java.util.stream.Collectors;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Start-up with a bad {@code spaghetti.*} configuration prints one report of every problem, each with its key
 * as the service wrote it and the fix, instead of a stack trace. Values of secrets never appear (the SDK's
 * binder already replaced them).
 */
public final class SdkConfigFailureAnalyzer extends AbstractFailureAnalyzer<SdkConfigException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SdkConfigException cause) {
        int n = cause.problems().size();
        String description = "The Spaghetti SDK configuration has " + n + " problem" + (n == 1 ? "" : "s") + ":\n"
                + cause.problems().stream().map(p -> "  - " + describe(p)).collect(Collectors.joining("\n"));
        String action = "Fix every key listed above: in application.yaml under 'spaghetti:' (or a profile's file), "
                + "as a --spaghetti.* argument, or as its SPAGHETTI_* environment variable. Your IDE completes every "
                + "spaghetti.* key with its default.";
        return new FailureAnalysis(description, action, cause);
    }

    /** The key as a Spring user writes it: {@code spaghetti.redis.addresses}. */
    static String describe(ConfigProblem p) {
        String key = p.key();
        boolean own = key.startsWith("SPAGHETTI_") || key.startsWith(EnvironmentConfig.PREFIX) || key.contains("/");
        return (own ? p.toString() : EnvironmentConfig.PREFIX + p);
    }
}
