package io.spaghetti.sdk.spring.boot.internal;

import io.spaghetti.sdk.core.Sdk;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
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
        named.put(READINESS, new WithRequiredModules(readiness != null ? readiness : new ProbeLike(groups.getPrimary())));
        return HealthEndpointGroups.of(groups.getPrimary(), named);
    }

    /** Readiness as Actuator's probes define it: the readinessState contributor, the primary group's rules. */
    private record ProbeLike(HealthEndpointGroup primary) implements HealthEndpointGroup {
        @Override
        public boolean isMember(String name) {
            return READINESS_STATE.equals(name);
        }

        @Override
        public boolean showComponents(SecurityContext securityContext) {
            return primary.showComponents(securityContext);
        }

        @Override
        public boolean showDetails(SecurityContext securityContext) {
            return primary.showDetails(securityContext);
        }

        @Override
        public StatusAggregator getStatusAggregator() {
            return primary.getStatusAggregator();
        }

        @Override
        public HttpCodeStatusMapper getHttpCodeStatusMapper() {
            return primary.getHttpCodeStatusMapper();
        }

        @Override
        public AdditionalHealthEndpointPath getAdditionalPath() {
            return null;
        }
    }

    private Set<String> requiredContributors() {
        return sdk.get().health().modules().stream().filter(m -> m.required())
                .map(m -> ModuleHealthIndicator.contributorName(m.module())).collect(Collectors.toSet());
    }

    private final class WithRequiredModules implements HealthEndpointGroup {
        private final HealthEndpointGroup delegate;

        WithRequiredModules(HealthEndpointGroup delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean isMember(String name) {
            return delegate.isMember(name) || requiredContributors().contains(name);
        }

        @Override
        public boolean showComponents(SecurityContext securityContext) {
            return delegate.showComponents(securityContext);
        }

        @Override
        public boolean showDetails(SecurityContext securityContext) {
            return delegate.showDetails(securityContext);
        }

        @Override
        public StatusAggregator getStatusAggregator() {
            return delegate.getStatusAggregator();
        }

        @Override
        public HttpCodeStatusMapper getHttpCodeStatusMapper() {
            return delegate.getHttpCodeStatusMapper();
        }

        @Override
        public AdditionalHealthEndpointPath getAdditionalPath() {
            return delegate.getAdditionalPath();
        }
    }
}
