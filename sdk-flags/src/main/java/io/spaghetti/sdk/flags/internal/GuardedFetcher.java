package io.spaghetti.sdk.flags.internal;

import io.getunleash.UnleashException;
import io.getunleash.event.ClientFeaturesResponse;
import io.getunleash.repository.FeatureFetcher;
import java.util.Optional;

/**
 * Wraps the client's HTTP fetcher: a connection failure becomes a 503 answer, so the client backs
 * off (as it does for server errors) instead of logging a stack trace on every poll.
 */
public final class GuardedFetcher implements FeatureFetcher {
    private final FeatureFetcher delegate;
    private final FetchStatus status;

    public GuardedFetcher(FeatureFetcher delegate, FetchStatus status) {
        this.delegate = delegate;
        this.status = status;
    }

    @Override
    public ClientFeaturesResponse fetchFeatures() {
        try {
            ClientFeaturesResponse r = delegate.fetchFeatures();
            if (r.getStatus() == ClientFeaturesResponse.Status.UNAVAILABLE) {
                if (r.getHttpStatusCode() == 401 || r.getHttpStatusCode() == 403) {
                    status.refused(r.getHttpStatusCode());
                }
                status.failure("HTTP " + r.getHttpStatusCode());
            } else {
                status.success();
            }
            return r;
        } catch (UnleashException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            status.failure(cause.getClass().getSimpleName());
            return ClientFeaturesResponse.unavailable(503, Optional.empty());
        }
    }
}
