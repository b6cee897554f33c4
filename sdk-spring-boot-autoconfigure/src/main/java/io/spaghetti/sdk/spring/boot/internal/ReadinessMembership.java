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
    private final Supplier<Sdk> sdk;

    public ReadinessMembership(Supplier<Sdk> sdk) {
        this.sdk = sdk;
    }

    @Override
    public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
        HealthEndpointGroup readiness = groups.get(READINESS);
        if (readiness == null) {
            return groups;
        }
        Map<String, HealthEndpointGroup> named = new LinkedHashMap<>();
        for (String name : groups.getNames()) {
            named.put(name, name.equals(READINESS) ? new WithRequiredModules(readiness) : groups.get(name));
        }
        return HealthEndpointGroups.of(groups.getPrimary(), named);
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
