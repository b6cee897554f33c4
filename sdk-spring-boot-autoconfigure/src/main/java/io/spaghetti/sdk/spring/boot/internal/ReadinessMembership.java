package io.spaghetti.sdk.spring.boot.internal;

import io.spaghetti.sdk.core.Sdk;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;

/**
 * Puts the SDK's required modules in the readiness group (a required module DOWN takes the instance out of the
 * load balancer) and leaves the optional ones out: their outage is DEGRADED service, not a reason to stop
 * traffic. Liveness is left alone, so it never depends on a remote service.
 */
public final class ReadinessMembership implements HealthEndpointGroupsPostProcessor {
    static final String READINESS = "readiness";
    private static final String READINESS_STATE = "readinessState";
    private final Supplier<Sdk> sdk;
    private final boolean probes;
    /** Which modules are required is configuration: fixed once the SDK runs. */
    private volatile Set<String> required;

    /** @param probes whether Actuator's probe groups are on ({@code management.endpoint.health.probes.enabled}) */
    public ReadinessMembership(Supplier<Sdk> sdk, boolean probes) {
        this.sdk = sdk;
        this.probes = probes;
    }

    /**
     * Wraps the readiness group, or, when Actuator's probe post-processor has not added it yet (both run last,
     * in no fixed order), adds it as the probes would (readinessState) plus the required modules; the probe
     * post-processor keeps a readiness group that already exists.
     */
    @Override
    public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
        HealthEndpointGroup readiness = groups.get(READINESS);
        if (readiness == null && !probes) {
            return groups;
        }
        Map<String, HealthEndpointGroup> named = new LinkedHashMap<>();
        for (String name : groups.getNames()) {
            named.put(name, groups.get(name));
        }
        named.put(READINESS, readiness != null
                ? new Group(readiness, name -> readiness.isMember(name) || requiredContributors().contains(name), true)
                : new Group(groups.getPrimary(), name -> READINESS_STATE.equals(name)
                        || requiredContributors().contains(name), false));
        return HealthEndpointGroups.of(groups.getPrimary(), named);
    }

    private Set<String> requiredContributors() {
        Set<String> r = required;
        if (r == null) {
            r = sdk.get().health().modules().stream().filter(m -> m.required())
                    .map(m -> ModuleHealthIndicator.contributorName(m.module())).collect(Collectors.toUnmodifiableSet());
            required = r;
        }
        return r;
    }

    /** A group with its own members and another group's rules (who sees what, aggregation, HTTP status). */
    private record Group(HealthEndpointGroup rules, Predicate<String> members, boolean ownPath)
            implements HealthEndpointGroup {
        @Override
        public boolean isMember(String name) {
            return members.test(name);
        }

        @Override
        public boolean showComponents(SecurityContext securityContext) {
            return rules.showComponents(securityContext);
        }

        @Override
        public boolean showDetails(SecurityContext securityContext) {
            return rules.showDetails(securityContext);
        }

        @Override
        public StatusAggregator getStatusAggregator() {
            return rules.getStatusAggregator();
        }

        @Override
        public HttpCodeStatusMapper getHttpCodeStatusMapper() {
            return rules.getHttpCodeStatusMapper();
        }

        @Override
        public AdditionalHealthEndpointPath getAdditionalPath() {
            return ownPath ? rules.getAdditionalPath() : null;
        }
    }
}
