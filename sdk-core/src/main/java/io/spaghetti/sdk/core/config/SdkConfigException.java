package io.spaghetti.sdk.core.config;

import java.util.List;
import java.util.stream.Collectors;

/** Every problem found in the configuration, reported at once. */
public final class SdkConfigException extends RuntimeException {
    private final List<ConfigProblem> problems;

    public SdkConfigException(List<ConfigProblem> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String format(List<ConfigProblem> problems) {
        return "Invalid Spaghetti SDK configuration (" + problems.size() + " problem"
                + (problems.size() == 1 ? "" : "s") + "):\n"
                + problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n"));
    }
}
