package io.spaghetti.sdk.core.config;

import java.util.ArrayList;
import java.util.List;

/** Collects problems while a configuration is bound and validated. */
public final class ConfigProblems {
    private final List<ConfigProblem> problems = new ArrayList<>();

    public void add(String key, Object value, String problem, String fix) {
        String shown = value == null ? null : value instanceof Secret ? "<secret>" : String.valueOf(value);
        problems.add(new ConfigProblem(key, shown, problem, fix));
    }

    /** Adds a problem unless {@code condition} holds. */
    public void require(boolean condition, String key, Object value, String problem, String fix) {
        if (!condition) {
            add(key, value, problem, fix);
        }
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    public List<ConfigProblem> asList() {
        return List.copyOf(problems);
    }

    public void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new SdkConfigException(problems);
        }
    }
}
