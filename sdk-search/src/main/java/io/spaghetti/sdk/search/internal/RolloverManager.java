package io.spaghetti.sdk.search.internal;

import io.spaghetti.sdk.search.SearchConfig;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.indices.RolloverResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.spaghetti.sdk.search.internal.SearchErrors;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "30-day-rollover" lifecycle where the cluster has no ILM: rolls the alias over through
 * {@code _rollover} when the write index is older than {@code maxAge} or a primary shard is larger
 * than {@code maxPrimaryShardSize}, then deletes the alias's other indices created longer ago than
 * {@code retention}. One instance at a time (a lease); the module runs it on a schedule.
 */
public final class RolloverManager {
    private static final Logger log = LoggerFactory.getLogger(RolloverManager.class);

    /** What one run did; {@code ran} is false when another instance held the lease. */
    public record Report(boolean ran, boolean rolledOver, String writeIndex, List<String> deleted) {
    }

    private final ElasticsearchClient client;
    private final String alias;
    private final SearchConfig.Lifecycle config;
    private final Lease lease;
    private final Counter rollovers;
    private final Counter deletions;
    private final Counter failures;

    public RolloverManager(ElasticsearchClient client, String alias, SearchConfig.Lifecycle config,
            MeterRegistry meters) {
        this.client = client;
        this.alias = alias;
        this.config = config;
        this.lease = new Lease(client, "rollover-" + alias);
        this.rollovers = Counter.builder("search.lifecycle.rollovers").description("Rollovers of the write index")
                .register(meters);
        this.deletions = Counter.builder("search.lifecycle.deletions").description("Indices deleted past retention")
                .register(meters);
        this.failures = Counter.builder("search.lifecycle.failures").description("Lifecycle runs that failed")
                .register(meters);
    }

    public Report runOnce() {
        try {
            if (!lease.tryAcquire(config.leaseTime())) {
                return new Report(false, false, null, List.of());
            }
            try {
                RolloverResponse r = client.indices().rollover(b -> b.alias(alias).conditions(c -> c
                        .maxAge(t -> t.time(config.maxAge().toMillis() + "ms"))
                        .maxPrimaryShardSize(config.maxPrimaryShardSize())));
                if (r.rolledOver()) {
                    rollovers.increment();
                    log.info("Rolled {} over from {} to {}", alias, r.oldIndex(), r.newIndex());
                }
                List<String> deleted = deleteExpired(r.rolledOver() ? r.newIndex() : r.oldIndex());
                return new Report(true, r.rolledOver(), r.rolledOver() ? r.newIndex() : r.oldIndex(), deleted);
            } finally {
                lease.release();
            }
        } catch (IOException | RuntimeException e) {
            failures.increment();
            throw SearchErrors.explain("roll over " + alias, "(search user)", e);
        }
    }

    private List<String> deleteExpired(String writeIndex) throws IOException {
        long cutoff = System.currentTimeMillis() - config.retention().toMillis();
        List<String> expired = new ArrayList<>();
        // Only this alias's own indices: "documents-*" also matches dedicated tenants' "documents-bigcorp-000001".
        java.util.regex.Pattern own = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(alias) + "-\\d+");
        client.indices().get(g -> g.index(alias + "-*")).result().forEach((name, state) -> {
            if (!own.matcher(name).matches() || !state.aliases().containsKey(alias)) {
                return;
            }
            String created = state.settings() == null || state.settings().index() == null ? null
                    : state.settings().index().creationDate() == null ? null
                    : String.valueOf(state.settings().index().creationDate());
            if (!name.equals(writeIndex) && created != null && Long.parseLong(created) < cutoff) {
                expired.add(name);
            }
        });
        if (!expired.isEmpty()) {
            client.indices().delete(d -> d.index(expired));
            deletions.increment(expired.size());
            log.info("Deleted {} past the retention of {}: {}", alias, config.retention(), expired);
        }
        return expired;
    }
}
