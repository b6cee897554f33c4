package io.spaghetti.sdk.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.testing.StackEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** SIGKILL of one Elasticsearch node in the middle of a large bulk: nothing lost, nothing doubled, queries answer. */
class NodeFailureIT {

    @Test
    void aNodeKilledDuringBulkLosesNoDocument() throws Exception {
        int count = Integer.getInteger("search.it.failoverDocs", 200_000);
        String tenant = "tenant-kill-" + UUID.randomUUID();
        Path node = Path.of(StackEnv.require("STACK_ES_DIR"), "n2");
        try (Sdk sdk = SearchStack.sdk(SearchStack.app("documents"))) {
            DocumentStore store = sdk.module(SearchModule.class).documents();
            List<BulkFailure> failures = new CopyOnWriteArrayList<>();
            AtomicBoolean indexing = new AtomicBoolean(true);
            AtomicInteger queries = new AtomicInteger();
            AtomicInteger queryErrors = new AtomicInteger();
            Thread reader = new Thread(() -> {
                while (indexing.get()) {
                    try {
                        store.search(tenant, SearchQuery.text("failover").withSize(5));
                        queries.incrementAndGet();
                    } catch (RuntimeException e) {
                        queryErrors.incrementAndGet();
                    }
                    sleep(200);
                }
            }, "failover-reader");
            reader.start();
            long killedAt = 0;
            try (BulkWriter writer = store.bulkWriter(failures::add)) {
                for (int i = 0; i < count; i++) {
                    writer.add(new SearchDocument("k" + i, tenant, "Failover document " + i, "body", "a", List.of("kill"),
                            "en", "published", Instant.EPOCH, Instant.EPOCH));
                    if (i == count / 4) {
                        long pid = Long.parseLong(Files.readString(node.resolve("es.pid")).trim());
                        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                        killedAt = System.nanoTime();
                    }
                }
            } finally {
                indexing.set(false);
                reader.join();
            }
            System.out.printf("node killed during bulk of %d: %d bulk failures, %d queries answered, %d failed, "
                    + "%.1f s from kill to flushed%n", count, failures.size(), queries.get(), queryErrors.get(),
                    (System.nanoTime() - killedAt) / 1e9);
            store.refresh();
            assertThat(failures).isEmpty();
            assertThat(store.count(tenant)).isEqualTo(count);
            assertThat(queries.get()).isGreaterThan(10);
            assertThat(queryErrors.get()).isLessThanOrEqualTo(queries.get() / 10);
        } finally {
            restartNodes();
        }
    }

    /** The stack script starts the killed node again and waits for green. */
    private static void restartNodes() {
        StackEnv.stackScript("up", "elasticsearch");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
