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
 */
public record SearchConfig(boolean enabled, boolean required, List<String> hosts, Path caFile, String username,
        Secret password, Secret apiKey, Duration connectTimeout, Duration socketTimeout, boolean bootstrap,
        String alias, Bulk bulk, Lifecycle lifecycle, Snapshots snapshots, Map<String, String> dedicatedTenants)
        implements ModuleSection, Validated {

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

    public SearchConfig {
        hosts = List.copyOf(hosts);
        dedicatedTenants = dedicatedTenants == null ? Map.of() : Map.copyOf(dedicatedTenants);
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
    }
}
