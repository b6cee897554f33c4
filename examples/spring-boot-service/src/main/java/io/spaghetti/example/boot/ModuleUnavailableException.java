package io.spaghetti.example.boot;

import java.util.function.Supplier;

/** An SDK module the request needs is not running (disabled, or its service is down): answered with 503. */
final class ModuleUnavailableException extends RuntimeException {
    private final String module;

    ModuleUnavailableException(String module, String reason) {
        super(reason);
        this.module = module;
    }

    String module() {
        return module;
    }

    /** The module's API, or this exception with the module's own reason (its accessors throw IllegalStateException). */
    static <T> T require(String module, Supplier<T> api) {
        try {
            return api.get();
        } catch (IllegalStateException e) {
            throw new ModuleUnavailableException(module, e.getMessage());
        }
    }
}
