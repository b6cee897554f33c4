package io.spaghetti.sdk.flags;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who a flag is evaluated for. A user may belong to several groups.
 *
 * @param properties free context fields, matched by constraints of the same name
 */
public record FlagContext(String userId, String sessionId, String tenant, Set<String> groups,
        Map<String, String> properties) {

    public FlagContext {
        groups = Set.copyOf(groups);
        properties = Map.copyOf(properties);
    }

    public static FlagContext anonymous() {
        return new FlagContext(null, null, null, Set.of(), Map.of());
    }

    public static Builder user(String userId) {
        return new Builder().userId(userId);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a context. */
    public static final class Builder {
        private String userId;
        private String sessionId;
        private String tenant;
        private final Set<String> groups = new TreeSet<>();
        private final Map<String, String> properties = new LinkedHashMap<>();

        public Builder userId(String v) { userId = v; return this; }
        public Builder sessionId(String v) { sessionId = v; return this; }
        public Builder tenant(String v) { tenant = v; return this; }
        public Builder group(String g) { groups.add(g); return this; }
        public Builder groups(Iterable<String> gs) { gs.forEach(groups::add); return this; }
        public Builder property(String name, String value) { properties.put(name, value); return this; }

        public FlagContext build() {
            return new FlagContext(userId, sessionId, tenant, groups, properties);
        }
    }
}
