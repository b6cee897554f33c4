package io.spaghetti.sdk.search;

import java.util.List;

/**
 * What a bootstrap run decided for each resource, and how many write requests it sent
 * (zero when everything was current).
 */
public record BootstrapReport(List<String> decisions, int writes) {
    public BootstrapReport {
        decisions = List.copyOf(decisions);
    }
}
