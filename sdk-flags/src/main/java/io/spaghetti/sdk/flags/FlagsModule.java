package io.spaghetti.sdk.flags;

import io.spaghetti.sdk.core.PlannedModule;
import java.util.Set;

/** Module {@code flags}: registered with the bootstrap; its capability is not built yet, so it is off by default. */
public final class FlagsModule extends PlannedModule {
    public FlagsModule() {
        super("flags", Set.of(), FlagsConfig.SECTION);
    }
}
