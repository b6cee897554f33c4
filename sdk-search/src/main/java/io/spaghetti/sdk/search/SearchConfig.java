package io.spaghetti.sdk.search;

import java.util.Locale;
import io.spaghetti.sdk.core.config.ConfigProblems;
import io.spaghetti.sdk.core.config.ConfigSection;
import io.spaghetti.sdk.core.config.ModuleSection;
import io.spaghetti.sdk.core.config.Secret;
import io.spaghetti.sdk.core.config.Validated;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Section {@code search}; defaults in {@code META-INF/spaghetti-sdk/defaults/search.yaml}.
 *
 * @param hosts       {@code https://host:port} of the nodes
 * @param caFile      PEM CA that signed the HTTP certificates; null: the JVM's trust store
 * @param username    basic auth user (with {@code password}); or use {@code apiKey}
 * @param bootstrap   install templates and the initial index at start-up
 * @param alias       the alias services read and write, e.g. {@code documents}
 * @param dedicatedTenants large tenants with their own alias (and indices), e.g. {@code bigcorp: documents-bigcorp}
 * @param results     result caching and relevance metrics
 */
public record SearchConfig(boolean enabled, boolean required, List<String> hosts, Path caFile, String username,
        Secret password, Secret apiKey, Duration connectTimeout, Duration socketTimeout, boolean bootstrap,
        String alias, Bulk bulk, Lifecycle lifecycle, Snapshots snapshots, Map<String, String> dedicatedTenants,
        Results results) implements ModuleSection, Validated {

    public static final ConfigSection<SearchConfig> SECTION = ConfigSection.of("search", SearchConfig.class);

    /** BulkIngester settings: flush by count, bytes or interval; requests in flight at once. */
    public record Bulk(int maxOperations, long maxBytes, Duration flushInterval, int maxConcurrentRequests,
            int maxRetries) {
    }

    /**
     * Rollover of the alias's write index and deletion of old indices, where the cluster has no ILM.
     *
     * @param maxAge               roll over when the write index is this old ...
     * @param maxPrimaryShardSize  ... or a primary shard is this big (Elasticsearch size, e.g. 50gb)
     * @param retention            delete non-write indices created longer ago than this
     * @param leaseTime            how long one instance holds the rollover lease
     */
    public record Lifecycle(boolean enabled, Duration checkInterval, Duration maxAge, String maxPrimaryShardSize,
            Duration retention, Duration leaseTime) {
    }

    /**
     * Snapshots where the cluster has no SLM. Needs a user with snapshot privileges.
     *
     * @param type     repository type, e.g. fs, s3, azure
     * @param settings repository settings, e.g. location for fs
     */
    public record Snapshots(boolean enabled, String repository, String type, java.util.Map<String, String> settings,
            Duration interval, Duration retention) {
    }

    /**
     * Result pages kept in the tiered cache (cache {@code search-results}), and the tenant classes relevance
     * metrics are tagged with.
     *
     * @param cache           keep pages; needs Redis, which records each tenant's last write for every instance
     * @param cacheTtl        longest a page is kept
     * @param writeVisibility how long after a write a search may still miss it (Elasticsearch's refresh interval
     *                        and a margin): pages computed then are not kept
     * @param tenantClasses   tenant to class, e.g. {@code bigcorp: enterprise}; others are {@code dedicated} (with
     *                        their own alias) or {@code shared}. Keep the classes few: they are metric tags.
     */
    public record Results(boolean cache, Duration cacheTtl, Duration writeVisibility,
            Map<String, String> tenantClasses) {
        public Results {
            tenantClasses = tenantClasses == null ? Map.of() : Map.copyOf(tenantClasses);
        }
    }

    public SearchConfig {
        hosts = List.copyOf(hosts);
        dedicatedTenants = dedicatedTenants == null ? Map.of() : Map.copyOf(dedicatedTenants);
    }

    /** The class a tenant's relevance metrics are tagged with. */
    public String tenantClass(String tenant) {
        String c = results.tenantClasses().get(tenant);
        return c != null ? c : dedicatedTenants.containsKey(tenant) ? "dedicated" : "shared";
    }

    /** The alias holding a tenant's documents. */
    public String aliasFor(String tenant) {
        return dedicatedTenants.getOrDefault(tenant, alias);
    }

    /** Every alias the module manages: the shared one and the dedicated ones. */
    public List<String> aliases() {
        List<String> all = new java.util.ArrayList<>(List.of(alias));
        dedicatedTenants.values().stream().distinct().sorted().forEach(all::add);
        return all;
    }

    @Override
    public void validate(ConfigProblems problems, String path) {
        if (!enabled) {
            return;
        }
        problems.require(!hosts.isEmpty(), path + ".hosts", null, "is empty", "list the nodes, e.g. [\"https://es:9200\"]");
        for (int i = 0; i < hosts.size(); i++) {
            problems.require(hosts.get(i).matches("https?://[^/\\s]+:\\d+"), path + ".hosts[" + i + "]", hosts.get(i),
                    "is not scheme://host:port", "write e.g. https://127.0.0.1:9200");
        }
        problems.require(caFile == null || Files.isReadable(caFile), path + ".caFile", caFile, "cannot be read",
                "point it at the PEM CA certificate (http_ca.crt)");
        problems.require(username == null || password != null, path + ".password", null,
                "is required with a username", "set it to a reference such as env:ES_PASSWORD");
        problems.require(username == null || apiKey == null, path + ".apiKey", apiKey,
                "cannot be combined with username/password", "use one of the two");
        problems.require(alias != null && alias.matches("[a-z][a-z0-9_-]*"), path + ".alias", alias,
                "is not an index alias name", "use lower-case letters, digits, '-' or '_'");
        dedicatedTenants.forEach((tenant, a) -> problems.require(a.matches("[a-z][a-z0-9_-]*")
                && a.startsWith(alias + "-") && !a.matches(".*-\\d{6}"), path + ".dedicatedTenants." + tenant, a,
                "must be an alias named " + alias + "-<something> (so the index template applies)",
                "use e.g. " + alias + "-" + tenant.toLowerCase(Locale.ROOT)));
        problems.require(bulk.maxOperations() >= 1, path + ".bulk.maxOperations", bulk.maxOperations(),
                "must be at least 1", "use e.g. 1000");
        problems.require(bulk.maxConcurrentRequests() >= 1, path + ".bulk.maxConcurrentRequests",
                bulk.maxConcurrentRequests(), "must be at least 1", "use e.g. 2");
        problems.require(!results.cache() || results.cacheTtl().toMillis() >= 1, path + ".results.cacheTtl",
                results.cacheTtl(), "must be positive", "use e.g. 60s");
        problems.require(results.tenantClasses().size() <= 20, path + ".results.tenantClasses",
                results.tenantClasses().size() + " tenants", "is a metric tag and must stay small",
                "map tenants onto a few classes (at most 20 tenants listed), e.g. bigcorp: enterprise");
        results.tenantClasses().forEach((tenant, c) -> problems.require(c.matches("[a-z][a-z0-9_-]{0,30}"),
                path + ".results.tenantClasses." + tenant, c, "is not a short lower-case class name",
                "use e.g. enterprise"));
    }
}
