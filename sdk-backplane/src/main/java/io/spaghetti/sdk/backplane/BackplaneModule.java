package io.spaghetti.sdk.backplane;

import io.spaghetti.sdk.core.PlannedModule;
import java.util.Set;

/** Module {@code backplane}: registered with the bootstrap; its capability is not built yet, so it is off by default. */
public final class BackplaneModule extends PlannedModule {
    public BackplaneModule() {
        super("backplane", Set.of("redis"), BackplaneConfig.SECTION);
    }
}
