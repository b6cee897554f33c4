package io.spaghetti.sdk.crypto;

import io.spaghetti.sdk.core.PlannedModule;
import java.util.Set;

/** Module {@code crypto}: registered with the bootstrap; its capability is not built yet, so it is off by default. */
public final class CryptoModule extends PlannedModule {
    public CryptoModule() {
        super("crypto", Set.of(), CryptoConfig.SECTION);
    }
}
