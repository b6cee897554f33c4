package io.spaghetti.sdk.core;

import io.spaghetti.sdk.core.config.ConfigSection;
import java.util.Set;

/**
 * A capability the SDK starts at bootstrap. Implementations are found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.spaghetti.sdk.core.SdkModule}) and
 * need a public no-argument constructor that does no work.
 *
 * <p>Lifecycle: {@link #start} once (again after a failure, for an optional module retried in the
 * background), {@link #health} any number of times from any thread, {@link #close} once, in
 * reverse start order. A failed {@code start} must release what it acquired.
 */
public interface SdkModule extends AutoCloseable {

    /** Unique, lower-case; also the name of the config section, if any. */
    String name();

    /** Names of the modules that must start before this one. */
    default Set<String> dependsOn() {
        return Set.of();
    }

    /** Names of modules that start before this one when they are present: what it uses only when configured to. */
    default Set<String> startsAfter() {
        return Set.of();
    }

    /**
     * The module's config section. When its record implements
     * {@link io.spaghetti.sdk.core.config.ModuleSection}, {@code enabled} and {@code required} are
     * honoured by the bootstrap.
     */
    default ConfigSection<?> configSection() {
        return null;
    }

    /** Connects and prepares; throws when the module cannot work. */
    void start(ModuleContext context) throws Exception;

    /** A quick, bounded check of the module's state. */
    Health health();

    /** Releases every thread and connection the module holds. */
    @Override
    void close();
}
