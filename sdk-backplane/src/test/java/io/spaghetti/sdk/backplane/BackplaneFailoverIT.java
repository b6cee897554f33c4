package io.spaghetti.sdk.backplane;

import static io.spaghetti.sdk.backplane.TestHubs.hub;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.testing.SentinelStack;
import java.time.Duration;
import java.util.BitSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** SIGKILL of the sentinel master while one server sends group messages to another's connection. */
class BackplaneFailoverIT {

    @Test
    void deliveryResumesAfterTheSentinelMasterIsKilledAndEveryFailedSendIsReported() throws Exception {
        SentinelStack stack = new SentinelStack();
        String yaml = "channelPrefix: fo" + UUID.randomUUID().toString().substring(0, 8) + "\n";
        try (TestHubs hubs = new TestHubs(yaml, TestHubs::sentinel)) {
            Sdk a = hubs.instance();
            Sdk b = hubs.instance();
            BitSet received = new BitSet();
            AtomicLong lastReceivedAt = new AtomicLong();
            AtomicInteger lastSeq = new AtomicInteger(-1);
            hub(b).register("reader", "u", "json", frame -> {
                int seq = frame.invocation().arguments().get(0).asInt();
                synchronized (received) {
                    received.set(seq);
                }
                lastSeq.accumulateAndGet(seq, Math::max);
                lastReceivedAt.set(System.nanoTime());
            });
            hub(a).addToGroup("reader", "doc").get(5, TimeUnit.SECONDS);

            AtomicInteger failedSends = new AtomicInteger();
            BitSet acknowledged = new BitSet();
            int seq = 0;
            long killedAt = 0;
            int firstSeqAfterKill = -1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (System.nanoTime() < deadline) {
                int s = seq++;
                hub(a).sendGroup("doc", "Tick", s).whenComplete((v, err) -> {
                    if (err != null) {
                        failedSends.incrementAndGet();
                    } else {
                        synchronized (acknowledged) {
                            acknowledged.set(s);
                        }
                    }
                });
                if (s == 500) {
                    stack.killMaster();
                    killedAt = System.nanoTime();
                    firstSeqAfterKill = s + 1;
                }
                if (killedAt > 0 && lastSeq.get() > firstSeqAfterKill + 500) {
                    break;
                }
                Thread.sleep(5);
            }
            int sent = seq;
            long resumeMs = -1;
            if (killedAt > 0) {
                // the first message sent after the kill that arrived marks when delivery resumed
                synchronized (received) {
                    int firstAfter = received.nextSetBit(firstSeqAfterKill);
                    resumeMs = firstAfter < 0 ? -1 : firstAfter * 5L - 500 * 5L;
                }
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> failedSends.get() + acknowledged.cardinality() == sent);
            Thread.sleep(500);
            int lost;
            synchronized (received) {
                BitSet ackedNotReceived = (BitSet) acknowledged.clone();
                ackedNotReceived.andNot(received);
                lost = ackedNotReceived.cardinality();
            }
            double reportedErrors = a.meterRegistry().get("backplane.publish.errors").tags("kind", "group").counter()
                    .count();
            System.out.printf("backplane sentinel failover: %d sent, %d failed and reported to the caller, %d taken by "
                    + "Redis but never delivered (pub/sub), delivery resumed ~%d ms of send time after SIGKILL, "
                    + "reconnects on the receiver %.0f%n", sent, failedSends.get(), lost, resumeMs,
                    b.meterRegistry().get("backplane.reconnects").counter().count());

            assertThat(killedAt).isPositive();
            assertThat(lastSeq.get()).as("delivery resumed").isGreaterThan(firstSeqAfterKill + 500);
            assertThat(reportedErrors).isEqualTo(failedSends.get());
            assertThat(failedSends.get() + acknowledged.cardinality()).isEqualTo(sent);
        } finally {
            stack.restartStoppedNodes();
        }
    }
}
