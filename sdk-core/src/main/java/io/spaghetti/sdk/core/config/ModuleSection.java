package io.spaghetti.sdk.core.config;

/** The part of a module's config section that the bootstrap reads. */
public interface ModuleSection {
    /** A disabled module is not started and reports DISABLED. */
    boolean enabled();

    /** A required module that cannot start fails start-up; an optional one starts DEGRADED. */
    boolean required();
}
