package io.spaghetti.sdk.search;

import io.spaghetti.sdk.core.PlannedModule;
import java.util.Set;

/** Module {@code search}: registered with the bootstrap; its capability is not built yet, so it is off by default. */
public final class SearchModule extends PlannedModule {
    public SearchModule() {
        super("search", Set.of(), SearchConfig.SECTION);
    }
}
