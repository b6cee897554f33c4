package io.spaghetti.sdk.core.config;

/** A config record that checks its own values after binding. */
public interface Validated {
    /**
     * Adds a problem for each invalid value.
     *
     * @param path the dotted key of this record, e.g. {@code redis}
     */
    void validate(ConfigProblems problems, String path);
}
