package io.spaghetti.sdk.search.internal;

import io.spaghetti.sdk.core.json.SdkJson;
import io.spaghetti.sdk.search.SearchConfig;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.snapshot.SnapshotInfo;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.spaghetti.sdk.search.internal.SearchErrors;
import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backups where the cluster has no SLM: registers the snapshot repository (any type, from
 * config), takes snapshots of the alias's indices, deletes those past retention, and restores.
 * Runs as a user with snapshot privileges (the application role has none).
 */
public final class SnapshotManager {
    private static final Logger log = LoggerFactory.getLogger(SnapshotManager.class);
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyy.MM.dd-HHmmss-SSS", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final ElasticsearchClient client;
    private final String alias;
    private final SearchConfig.Snapshots config;
    private final Counter taken;
    private final Counter failed;
    private final Counter deleted;

    public SnapshotManager(ElasticsearchClient client, String alias, SearchConfig.Snapshots config,
            MeterRegistry meters) {
        this.client = client;
        this.alias = alias;
        this.config = config;
        this.taken = Counter.builder("search.snapshots").tag("result", "success").register(meters);
        this.failed = Counter.builder("search.snapshots").tag("result", "failure").register(meters);
        this.deleted = Counter.builder("search.snapshots.deleted").description("Snapshots deleted past retention")
                .register(meters);
    }

    /** Creates or updates the repository; idempotent. */
    public void registerRepository() {
        String json;
        try {
            json = SdkJson.mapper().writeValueAsString(Map.of("type", config.type(), "settings", config.settings()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        run("register snapshot repository " + config.repository(), () -> client.snapshot()
                .createRepository(r -> r.name(config.repository()).withJson(new StringReader(json))));
    }

    /** Snapshots the alias's indices and waits for it; returns the snapshot name. */
    public String snapshotNow() {
        String name = "snapshot-" + alias + "-" + NAME.format(Instant.now());
        try {
            var r = client.snapshot().create(s -> s.repository(config.repository()).snapshot(name)
                    .indices(alias + "-*").waitForCompletion(true));
            if (r.snapshot() == null || !"SUCCESS".equals(r.snapshot().state())) {
                throw new IllegalStateException("snapshot " + name + " ended in state "
                        + (r.snapshot() == null ? "unknown" : r.snapshot().state()));
            }
            taken.increment();
            log.info("Snapshot {} of {} taken", name, alias);
            return name;
        } catch (IOException | RuntimeException e) {
            failed.increment();
            throw SearchErrors.explain("take snapshot " + name, "(search user)", e);
        }
    }

    /** Deletes this alias's snapshots that started longer ago than the retention; returns their names. */
    public List<String> deleteExpired() {
        long cutoff = System.currentTimeMillis() - config.retention().toMillis();
        List<String> expired = new ArrayList<>();
        run("list snapshots", () -> {
            for (SnapshotInfo s : client.snapshot().get(g -> g.repository(config.repository()).snapshot("snapshot-" + alias + "-*"))
                    .snapshots()) {
                if (s.startTimeInMillis() != null && s.startTimeInMillis() < cutoff) {
                    expired.add(s.snapshot());
                }
            }
            return null;
        });
        for (String name : expired) {
            run("delete snapshot " + name, () -> client.snapshot().delete(d -> d.repository(config.repository())
                    .snapshot(name)));
            deleted.increment();
        }
        return expired;
    }

    /** Restores the snapshot's indices (they must not exist open) and waits for it. */
    public void restore(String snapshot) {
        run("restore snapshot " + snapshot, () -> client.snapshot().restore(r -> r.repository(config.repository())
                .snapshot(snapshot).indices(alias + "-*").includeAliases(true).waitForCompletion(true)));
    }

    private interface Call {
        Object run() throws IOException;
    }

    private void run(String action, Call call) {
        try {
            call.run();
        } catch (IOException | RuntimeException e) {
            throw SearchErrors.explain(action, "(search user)", e);
        }
    }
}
