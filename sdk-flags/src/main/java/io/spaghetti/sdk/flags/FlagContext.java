package io.spaghetti.sdk.flags;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who and when a flag is evaluated for: Unleash's whole context. A user may belong to several groups. Every field
 * may be null; a null {@code environment} or {@code appName} is the configured one, a null {@code currentTime} is
 * the clock's.
 *
 * @param remoteAddress the caller's IP address, for the remoteAddress strategy and IP constraints
 * @param tenant        matched by constraints on the context field {@code tenant}
 * @param groups        matched by constraints on the context field {@code groups} ({@code ,g1,g2,})
 * @param properties    other context fields, matched by constraints of the same name
 * @param currentTime   the instant date constraints compare with
 */
public record FlagContext(String userId, String sessionId, String remoteAddress, String tenant, Set<String> groups,
        Map<String, String> properties, String environment, String appName, Instant currentTime) {

    public FlagContext {
        groups = groups == null ? Set.of() : Set.copyOf(groups);
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    public static FlagContext anonymous() {
        return new Builder().build();
    }

    public static Builder user(String userId) {
        return new Builder().userId(userId);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a context; a null value leaves its field unset. */
    public static final class Builder {
        private String userId;
        private String sessionId;
        private String remoteAddress;
        private String tenant;
        private String environment;
        private String appName;
        private Instant currentTime;
        private final Set<String> groups = new TreeSet<>();
        private final Map<String, String> properties = new LinkedHashMap<>();

        public Builder userId(String v) { userId = v; return this; }
        public Builder sessionId(String v) { sessionId = v; return this; }
        public Builder remoteAddress(String v) { remoteAddress = v; return this; }
        public Builder tenant(String v) { tenant = v; return this; }
        public Builder environment(String v) { environment = v; return this; }
        public Builder appName(String v) { appName = v; return this; }
        public Builder currentTime(Instant v) { currentTime = v; return this; }

        public Builder group(String g) {
            if (g != null) {
                groups.add(g);
            }
            return this;
        }

        public Builder groups(Iterable<String> gs) {
            gs.forEach(this::group);
            return this;
        }

        /** A context field by name; null removes it. */
        public Builder property(String name, String value) {
            if (name == null) {
                throw new IllegalArgumentException("a context property needs a name");
            }
            if (value == null) {
                properties.remove(name);
            } else {
                properties.put(name, value);
            }
            return this;
        }

        public FlagContext build() {
            return new FlagContext(userId, sessionId, remoteAddress, tenant, groups, properties, environment, appName,
                    currentTime);
        }
    }
}
