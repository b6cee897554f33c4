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

    /**
     * One node paused (SIGSTOP) for 20 s: health answers at once from its last result and a fresh check within
     * health.timeout; searches answer or fail within the policy's deadline, never after the 30 s socket timeout.
     */
    @Test
    void aPausedNodeHangsNoCaller() throws Exception {
        String tenant = "tenant-pause-" + UUID.randomUUID();
        long pid = Long.parseLong(Files.readString(Path.of(StackEnv.require("STACK_ES_DIR"), "n1", "es.pid")).trim());
        try (Sdk sdk = SearchStack.sdk(SearchStack.app("documents"))) {
            DocumentStore store = sdk.module(SearchModule.class).documents();
            store.index(new SearchDocument("p1", tenant, "Paused node", "body", "a", List.of(), "en", "draft",
                    Instant.now(), Instant.now()), true);
            signal("STOP", pid);
            long worstSearchMs = 0;
            long worstHealthMs = 0;
            int answered = 0;
            try {
                long until = System.nanoTime() + 20_000_000_000L;
                while (System.nanoTime() < until) {
                    long t0 = System.nanoTime();
                    try {
                        store.search(tenant, SearchQuery.text("paused"));
                        answered++;
                    } catch (RuntimeException e) {
                        // a bounded failure is fine; a hang is not
                    }
                    worstSearchMs = Math.max(worstSearchMs, (System.nanoTime() - t0) / 1_000_000);
                    t0 = System.nanoTime();
                    sdk.health();
                    long snapshotMs = (System.nanoTime() - t0) / 1_000_000;
                    assertThat(snapshotMs).as("sdk.health() reads the last result").isLessThan(1_000);
                    t0 = System.nanoTime();
                    sdk.checkHealth();
                    worstHealthMs = Math.max(worstHealthMs, (System.nanoTime() - t0) / 1_000_000);
                }
            } finally {
                signal("CONT", pid);
            }
            System.out.printf("paused node: %d searches answered, worst search %d ms, worst fresh health check %d ms%n",
                    answered, worstSearchMs, worstHealthMs);
            // Policy timeout 3 s, 3 attempts with back-off: well under the client's 30 s socket timeout.
            assertThat(worstSearchMs).isLessThan(12_000);
            assertThat(worstHealthMs).isLessThan(3_000);
            assertThat(answered).isGreaterThan(0);
        }
    }

    private static void signal(String signal, long pid) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor()).isZero();
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
