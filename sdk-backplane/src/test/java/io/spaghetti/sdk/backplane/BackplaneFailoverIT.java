package io.spaghetti.sdk.backplane;

import static io.spaghetti.sdk.backplane.TestHubs.hub;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.redis.RedisConfig;
import io.spaghetti.sdk.core.testing.ClusterStack;
import io.spaghetti.sdk.core.testing.SentinelStack;
import io.spaghetti.sdk.core.testing.StackEnv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One server sends 10,000 group messages to another server's connection while the Redis master is SIGKILLed, in
 * pub/sub and in streams delivery, on the sentinel set and on the 6-node cluster. The runs print side by side what
 * each lost and how long delivery took to resume (also appended to {@code target/backplane-failover.txt}).
 */
class BackplaneFailoverIT {
    private static final int MESSAGES = 10_000;
    private static final int KILL_AT = 2_000;
    /** Time between two sends: the run spans about 30 s, so a sentinel or cluster failover falls well inside it. */
    private static final long PACE_NANOS = TimeUnit.MICROSECONDS.toNanos(3_000);

    interface Topology {
        UnaryOperator<RedisConfig.Builder> redis();

        /** SIGKILL of the master that serves what the receiving server reads. */
        void killMaster(String readKey) throws IOException, InterruptedException;

        /** After the failover: the killed node back as a replica (the cluster's promoted master has no other). */
        void afterFailover() throws IOException, InterruptedException;

        void restore() throws IOException, InterruptedException;
    }

    static Topology topology(String name) {
        if (name.equals("sentinel")) {
            SentinelStack s = new SentinelStack();
            return new Topology() {
                @Override
                public UnaryOperator<RedisConfig.Builder> redis() {
                    return TestHubs::sentinel;
                }

                @Override

                public void killMaster(String readKey) throws IOException, InterruptedException {
                    s.killMaster();
                }

                @Override

                public void afterFailover() {
                    // the other replica follows the new master: replicaAcks 1 is met again
                }

                @Override

                public void restore() throws IOException, InterruptedException {
                    s.restartStoppedNodes();
                }
            };
        }
        ClusterStack c = new ClusterStack();
        return new Topology() {
            @Override
            public UnaryOperator<RedisConfig.Builder> redis() {
                return TestHubs::cluster;
            }

            @Override

            public void killMaster(String readKey) throws IOException, InterruptedException {
                c.killMasterOf(readKey);
            }

            @Override

            public void afterFailover() throws IOException, InterruptedException {
                c.restartStoppedNodes();
            }

            @Override

            public void restore() throws IOException, InterruptedException {
                c.restartStoppedNodes();
            }
        };
    }

    @ParameterizedTest(name = "{0}, delivery {1}")
    @CsvSource({"sentinel, pubsub", "sentinel, streams", "cluster, pubsub", "cluster, streams"})
    void tenThousandGroupMessagesAcrossAMasterSigkill(String topologyName, String delivery) throws Exception {
        Topology topology = topology(topologyName);
        String prefix = "fo" + UUID.randomUUID().toString().substring(0, 8);
        boolean streams = delivery.equals("streams");
        String readKey = prefix + TestHubs.HUB + (streams ? ":stream:0" : ":group:doc");
        try (TestHubs hubs = new TestHubs("channelPrefix: " + prefix + "\ndelivery: " + delivery + "\n",
                topology.redis())) {
            Exchange run = new Exchange(hubs.instance(), hubs.instance());
            AtomicLong killedAt = new AtomicLong();
            CompletableFuture<Void> recovered = new CompletableFuture<>();
            run.send(seq -> {
                if (seq == KILL_AT) {
                    topology.killMaster(readKey);
                    killedAt.set(System.nanoTime());
                    CompletableFuture.runAsync(() -> {
                        await().atMost(Duration.ofSeconds(60)).until(() -> run.anyReceivedAfter(KILL_AT));
                        try {
                            topology.afterFailover();
                        } catch (IOException | InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    }).whenComplete((v, err) -> recovered.complete(null));
                }
            });
            recovered.get(60, TimeUnit.SECONDS);
            Exchange.Result r = run.result(KILL_AT);
            long resumeMs = TimeUnit.NANOSECONDS.toMillis(r.firstReceivedAfter() - killedAt.get());
            report(topologyName + " master SIGKILL", delivery, run, r, "delivery resumed " + resumeMs
                    + " ms after the SIGKILL");

            assertThat(resumeMs).as("delivery resumed").isPositive().isLessThan(60_000);
            assertThat(run.reportedErrors()).as("every failed send is counted").isEqualTo(r.failed());
            if (streams) {
                assertThat(r.lost()).as("every message Redis acknowledged arrived").isZero();
                assertThat(r.duplicated()).as("and arrived once").isZero();
                assertThat(r.acknowledged()).as("sends resumed after the failover").isGreaterThan(KILL_AT + 1_000);
            }
        } finally {
            topology.restore();
        }
    }

    /**
     * The receiving server alone loses its connections, five times, while the sender goes on: what pub/sub loses, and
     * what the stream gives back. (The ACL user of the stack's standalone Redis tells its connections apart.)
     */
    @ParameterizedTest(name = "delivery {0}")
    @ValueSource(strings = {"pubsub", "streams"})
    void aReceiverThatLosesItsConnectionsGetsWhatWasSentMeanwhileFromTheStream(String delivery) throws Exception {
        // the ACL user may use keys and channels that start with collab
        String yaml = "channelPrefix: collabfo" + UUID.randomUUID().toString().substring(0, 8) + "\ndelivery: "
                + delivery + "\n";
        try (TestHubs senders = new TestHubs(yaml, TestHubs::standalone);
                TestHubs receivers = new TestHubs(yaml, TestHubs::standaloneAsAppUser)) {
            Exchange run = new Exchange(senders.instance(), receivers.instance());
            run.send(seq -> {
                if (seq % 2_000 == 1_000) {
                    killClientsOf(StackEnv.require("STACK_REDIS_APP_USER"));
                }
            });
            Exchange.Result r = run.result(0);
            report("receiver disconnected 5x", delivery, run, r, "");

            assertThat(r.failed()).as("the sender kept its connections").isZero();
            if (delivery.equals("streams")) {
                assertThat(r.lost()).as("every message Redis acknowledged arrived").isZero();
                assertThat(r.duplicated()).as("and arrived once").isZero();
                // Redisson retries a read whose connection was killed, so the reader may never see an error: the
                // late messages show in the lag instead
                assertThat(run.receiver.meterRegistry().get("backplane.stream.lag").timer().count()).isEqualTo(MESSAGES);
            }
        }
    }

    /** CLIENT KILL USER: every connection of that ACL user; Redisson reconnects and re-subscribes. */
    private static void killClientsOf(String user) throws IOException, InterruptedException {
        String[] hostPort = StackEnv.require("STACK_REDIS_ADDRESS").replaceFirst("^redis://", "").split(":");
        ProcessBuilder pb = new ProcessBuilder("redis-cli", "-h", hostPort[0], "-p", hostPort[1], "CLIENT", "KILL",
                "USER", user).redirectErrorStream(true);
        pb.environment().put("REDISCLI_AUTH", StackEnv.require("STACK_REDIS_PASSWORD"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor()).as("redis-cli CLIENT KILL: " + out).isZero();
    }

    private static void report(String scenario, String delivery, Exchange run, Exchange.Result r, String extra)
            throws IOException {
        String line = String.format("%-26s %-7s: %d sent, %d acknowledged, %d failed to the caller (%d of them "
                + "delivered anyway), %d acknowledged but never delivered, %d delivered twice%s%s%n", scenario,
                delivery, MESSAGES, r.acknowledged(), r.failed(), r.failedButDelivered(), r.lost(), r.duplicated(),
                extra.isEmpty() ? "" : ", " + extra, delivery.equals("streams") ? String.format(
                        ", stream: %.0f redelivered, %.0f resumes, lag max %.0f ms", count(run.receiver,
                        "backplane.stream.redelivered"), count(run.receiver, "backplane.stream.resumes"),
                        run.receiver.meterRegistry().get("backplane.stream.lag").timer()
                                .max(TimeUnit.MILLISECONDS)) : "");
        System.out.print("backplane failover: " + line);
        Files.writeString(Path.of("target", "backplane-failover.txt"), line, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private static double count(Sdk sdk, String counter) {
        return sdk.meterRegistry().get(counter).counter().count();
    }

    /** {@value #MESSAGES} group messages from one server to a connection on another, and what became of each. */
    private static final class Exchange {
        final Sdk sender;
        final Sdk receiver;
        final AtomicIntegerArray received = new AtomicIntegerArray(MESSAGES);
        final AtomicLongArray receivedAt = new AtomicLongArray(MESSAGES);
        /** 1 acknowledged, 2 failed. */
        final AtomicIntegerArray outcome = new AtomicIntegerArray(MESSAGES);

        interface Step {
            void before(int seq) throws Exception;
        }

        record Result(int acknowledged, int failed, int failedButDelivered, int lost, int duplicated,
                long firstReceivedAfter) {
        }

        Exchange(Sdk sender, Sdk receiver) throws Exception {
            this.sender = sender;
            this.receiver = receiver;
            hub(receiver).register("reader", "u", "json", frame -> {
                int seq = frame.invocation().arguments().get(0).asInt();
                received.incrementAndGet(seq);
                receivedAt.compareAndSet(seq, 0, System.nanoTime());
            });
            hub(sender).addToGroup("reader", "doc").get(10, TimeUnit.SECONDS);
        }

        /** Sends every message, paced, running {@code step} before each; then waits for every answer. */
        void send(Step step) throws Exception {
            long next = System.nanoTime();
            for (int seq = 0; seq < MESSAGES; seq++) {
                int s = seq;
                step.before(s);
                hub(sender).sendGroup("doc", "Tick", s).whenComplete((v, err) -> outcome.set(s, err == null ? 1 : 2));
                next += PACE_NANOS;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (int s = 0; s < MESSAGES; s++) {
                    if (outcome.get(s) == 0) {
                        return false;
                    }
                }
                return true;
            });
        }

        boolean anyReceivedAfter(int seq) {
            for (int s = seq + 1; s < MESSAGES; s++) {
                if (received.get(s) > 0) {
                    return true;
                }
            }
            return false;
        }

        double reportedErrors() {
            return count(sender, "backplane.publish.errors", "group");
        }

        private static double count(Sdk sdk, String counter, String kind) {
            return sdk.meterRegistry().get(counter).tags("kind", kind).counter().count();
        }

        /** Once late deliveries had time to arrive; {@code firstReceivedAfter}: of messages after {@code seq}. */
        Result result(int seq) throws InterruptedException {
            Thread.sleep(2_000);
            int acknowledged = 0;
            int failed = 0;
            int lost = 0;
            int duplicated = 0;
            int failedButDelivered = 0;
            long firstAfter = Long.MAX_VALUE;
            for (int s = 0; s < MESSAGES; s++) {
                int n = received.get(s);
                if (n > 1) {
                    duplicated++;
                }
                if (outcome.get(s) == 1) {
                    acknowledged++;
                    if (n == 0) {
                        lost++;
                    }
                } else {
                    failed++;
                    if (n > 0) {
                        failedButDelivered++;
                    }
                }
                if (s > seq && receivedAt.get(s) != 0) {
                    firstAfter = Math.min(firstAfter, receivedAt.get(s));
                }
            }
            return new Result(acknowledged, failed, failedButDelivered, lost, duplicated, firstAfter);
        }
    }
}
