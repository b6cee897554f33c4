package io.spaghetti.sdk.search.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spaghetti.sdk.core.json.SdkJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** The install / upgrade / keep decision for a versioned template. */
final class TemplateVersion {
    private static final ObjectMapper JSON = SdkJson.mapper();

    private TemplateVersion() {
    }

    static long of(byte[] template) {
        try {
            JsonNode v = JSON.readTree(template).get("version");
            if (v == null || !v.canConvertToLong()) {
                throw new IllegalStateException("a bundled template has no numeric \"version\"");
            }
            return v.asLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean shouldWrite(String name, Long installed, long bundled, List<String> decisions) {
        if (installed == null) {
            decisions.add(name + ": missing, installing version " + bundled);
            return true;
        }
        if (installed < bundled) {
            decisions.add(name + ": upgrading version " + installed + " to " + bundled);
            return true;
        }
        if (installed > bundled) {
            decisions.add(name + ": cluster has newer version " + installed + " than bundled " + bundled + ", keeping it");
            return false;
        }
        decisions.add(name + ": version " + installed + " is current");
        return false;
    }
}
