package io.spaghetti.benchmarks;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spaghetti.sdk.backplane.BackplaneModule;
import io.spaghetti.sdk.backplane.ConnectionSink;
import io.spaghetti.sdk.backplane.HubContext;
import io.spaghetti.sdk.backplane.HubFrame;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.core.redis.RedisModule;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.listener.MessageListener;
import org.redisson.client.codec.ByteArrayCodec;

/**
 * Group fan-out on the backplane against bare Redisson RTopic publish/subscribe doing the same
 * work in the same run: two servers in one JVM (separate Redis clients), connections split evenly
 * between them, groups with members on both servers. Per message one member of each group
 * decodes it (to time delivery); the others only count it, on every side. The SDK runs twice: with pub/sub delivery
 * and with streams delivery (standalone Redis: no replica to wait for).
 * Arguments: [connections, default 10000] [groups, default 100] [messages, default 40000] [paced msg/s, default 500]
 * [rounds after the warm-up, default 3].
 */
public final class BackplaneBench {
    private static final String HUB = "Bench.Hub";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) throws Exception {
        try {
            bench(args);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1); // the SDK instances' threads would keep a failed run alive
        }
    }

    private static void bench(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int groups = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int messages = args.length > 2 ? Integer.parseInt(args[2]) : 40_000;
        int pacedRate = args.length > 3 ? Integer.parseInt(args[3]) : 500;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        String payload = "x".repeat(200);
        SdkConfig config = config("pubsub");
        Sdk a = start(config);
        Sdk b = start(config);
        Side sdk = new Side(messages);
        HubContext hubA = register(a, b, sdk, connections, groups);
        SdkConfig streamsConfig = config("streams");
        Sdk sa = start(streamsConfig);
        Sdk sb = start(streamsConfig);
        Side streams = new Side(messages);
        HubContext streamsA = register(sa, sb, streams, connections, groups);

        RedissonClient bareA = a.module(RedisModule.class).newClientForDatabase(config.redis().database());
        RedissonClient bareB = a.module(RedisModule.class).newClientForDatabase(config.redis().database());
        int membersPerServer = connections / groups / 2;
        // The counter loop (the figure recorded since the first release): per message the listener decodes the probe
        // and bumps a counter for the other members, so it touches no per-connection object.
        Side bare = new Side(messages);
        String barePrefix = "barebench" + System.nanoTime() + ":";
        subscribeBare(List.of(bareA, bareB), barePrefix, groups, g -> (ch, msg) -> {
            bare.probe(seqOf(BareFrames.firstArgument(msg)));
            for (int m = 1; m < membersPerServer; m++) {
                bare.deliveries.increment();
            }
        });
        // Bare fan-out to connections, as a service hand-writing it on RTopic would: per server and group an array
        // of the members' sinks (one object per connection, the same counting work as the SDK's sinks), each called.
        Side bareSinks = new Side(messages);
        String sinksPrefix = "baresinks" + System.nanoTime() + ":";
        subscribeBare(List.of(bareA, bareB), sinksPrefix, groups, g -> {
            List<Consumer<byte[]>> members = new ArrayList<>();
            members.add(msg -> bareSinks.probe(seqOf(BareFrames.firstArgument(msg))));
            for (int m = 1; m < membersPerServer; m++) {
                members.add(msg -> bareSinks.deliveries.increment());
            }
            List<Consumer<byte[]>> group = List.copyOf(members);
            return (ch, msg) -> {
                for (Consumer<byte[]> member : group) {
                    member.accept(msg);
                }
            };
        });

        List<Round> runs = List.of(
                () -> run("sdk pubsub", sdk, messages, pacedRate,
                        seq -> hubA.sendGroup("g" + (seq % groups), "Msg", seq + ":" + payload)),
                () -> run("sdk streams", streams, messages, pacedRate,
                        seq -> streamsA.sendGroup("g" + (seq % groups), "Msg", seq + ":" + payload)),
                () -> run("bare", bare, messages, pacedRate,
                        seq -> publishBare(bareA, barePrefix + (seq % groups), seq, payload)),
                () -> run("bare sinks", bareSinks, messages, pacedRate,
                        seq -> publishBare(bareA, sinksPrefix + (seq % groups), seq, payload)));
        // One warm-up round each (JIT), then rounds in which every side runs once.
        for (int round = 0; round <= rounds; round++) {
            if (round == 1) {
                for (Side side : List.of(sdk, streams, bare, bareSinks)) {
                    side.rates.clear();
                    side.cpuPerMessage.clear();
                }
                System.out.println("(round 0 above was warm-up and is not counted)");
            }
            // each round starts with the next side: the first after a change of side pays for the JIT's
            // recompilation of the shared Redisson and netty paths (seen in a perf profile), so no side always pays
            for (int i = 0; i < runs.size(); i++) {
                runs.get((round + i) % runs.size()).run();
            }
        }
        System.out.printf(Locale.ROOT, "fan-out throughput, SDK pubsub / bare Redisson RTopic: best %.2fx, median of the "
                + "paired rounds %.2fx (target >= 0.9x)%n", sdk.best() / bare.best(), medianRatio(sdk, bare));
        System.out.printf(Locale.ROOT, "fan-out throughput, SDK pubsub / bare RTopic calling the members' sinks: best %.2fx, "
                + "median of the paired rounds %.2fx%n", sdk.best() / bareSinks.best(), medianRatio(sdk, bareSinks));
        System.out.printf(Locale.ROOT, "JVM CPU per message, median of the rounds: SDK pubsub %.1f µs, SDK streams %.1f µs, "
                + "bare %.1f µs, bare with sinks %.1f µs%n", median(sdk.cpuPerMessage), median(streams.cpuPerMessage),
                median(bare.cpuPerMessage), median(bareSinks.cpuPerMessage));
        System.out.printf(Locale.ROOT, "fan-out throughput, SDK streams / bare Redisson RTopic: best %.2fx, paired median "
                + "%.2fx; streams / pubsub: best %.2fx%n", streams.best() / bare.best(), medianRatio(streams, bare),
                streams.best() / sdk.best());
        bareA.shutdown();
        bareB.shutdown();
        for (Sdk s : List.of(a, b, sa, sb)) {
            s.close();
        }
    }

    private static SdkConfig config(String delivery) {
        return SdkConfig.loader().yaml("bench", "backplane:\n  channelPrefix: bench" + System.nanoTime()
                + "\n  latencyHeader: false\n  protocols: [json]\n  delivery: " + delivery + "\n")
                .systemProperties(new Properties()).load();
    }

    /**
     * Splits the connections evenly over two servers, in groups with members on both; per group one member on each
     * server decodes what it receives (the probe), the others count. Returns the sending server's hub.
     */
    private static HubContext register(Sdk a, Sdk b, Side side, int connections, int groups) {
        HubContext hubA = a.module(BackplaneModule.class).hub(HUB);
        HubContext hubB = b.module(BackplaneModule.class).hub(HUB);
        long regStart = System.nanoTime();
        for (int i = 0; i < connections; i++) {
            HubContext owner = i % 2 == 0 ? hubA : hubB;
            String id = "c" + i;
            int group = (i / 2) % groups;
            boolean probe = i < 2 * groups; // the first member of each group on each server
            // the sinks only count (as the bare side's listener does): non-blocking, delivered on the receiving thread
            owner.register(id, "u" + i, "json", probe
                    ? ConnectionSink.nonBlocking(frame -> side.probe(seqOf(frame.invocation().arguments().get(0).asText())))
                    : new CountingSink(side.deliveries));
            owner.addToGroup(id, "g" + group).join();
        }
        double regSeconds = (System.nanoTime() - regStart) / 1e9;
        System.out.printf(Locale.ROOT, "registered %d connections in %d groups on 2 servers in %.1f s (%.0f/s)%n", connections,
                groups, regSeconds, connections / regSeconds);
        return hubA;
    }

    private static void subscribeBare(List<RedissonClient> servers, String prefix, int groups,
            IntFunction<MessageListener<byte[]>> listenerOfGroup) {
        for (RedissonClient c : servers) {
            for (int g = 0; g < groups; g++) {
                c.getTopic(prefix + g, ByteArrayCodec.INSTANCE).addListener(byte[].class, listenerOfGroup.apply(g));
            }
        }
    }

    private static CompletableFuture<?> publishBare(RedissonClient c, String topic, int seq, String payload) {
        return c.getTopic(topic, ByteArrayCodec.INSTANCE).publishAsync(BareFrames.frame(seq + ":" + payload))
                .toCompletableFuture();
    }

    interface Round {
        void run() throws Exception;
    }

    interface Sender {
        CompletableFuture<?> send(int seq);
    }

    private static void run(String name, Side side, int messages, int pacedRate, Sender sender) throws Exception {
        // throughput: as fast as the publisher goes, at most 1000 in flight
        side.reset();
        Semaphore inFlight = new Semaphore(1000);
        long cpuStart = PROCESS.getProcessCpuTime();
        long start = System.nanoTime();
        for (int seq = 0; seq < messages; seq++) {
            inFlight.acquire();
            side.sentAt[seq] = System.nanoTime();
            sender.send(seq).whenComplete((r, e) -> inFlight.release());
        }
        side.awaitProbes(messages * 2L);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuMicrosPerMessage = (PROCESS.getProcessCpuTime() - cpuStart) / 1e3 / messages;
        side.cpuPerMessage.add(cpuMicrosPerMessage);
        long deliveries = side.deliveries.sum() + side.probes.get();
        double rate = messages / seconds;
        side.rates.add(rate);
        // the wall-clock window lets a profile (JFR) be split by side
        System.out.printf(Locale.ROOT, "%-11s saturated: %d group messages in %.2f s = %.0f msg/s, %.0f deliveries/s, JVM CPU %.1f µs/msg; "
                + "latency %s (epoch ms %d-%d)%n", name, messages, seconds, rate, deliveries / seconds, cpuMicrosPerMessage,
                side.percentiles(),
                System.currentTimeMillis() - (long) (seconds * 1000), System.currentTimeMillis());

        // latency at a steady rate well below saturation
        side.reset();
        int paced = Math.min(messages, pacedRate * 5);
        long intervalNanos = 1_000_000_000L / pacedRate;
        long next = System.nanoTime();
        for (int seq = 0; seq < paced; seq++) {
            while (System.nanoTime() < next) {
                Thread.onSpinWait();
            }
            side.sentAt[seq] = System.nanoTime();
            sender.send(seq);
            next += intervalNanos;
        }
        side.awaitProbes(paced * 2L);
        System.out.printf(Locale.ROOT, "%-11s paced at %d msg/s: latency %s%n", name, pacedRate, side.percentiles());
    }

    /** The median over rounds of one side's rate over the other's in the same round (the rounds alternate sides). */
    private static double medianRatio(Side side, Side baseline) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < side.rates.size(); i++) {
            ratios.add(side.rates.get(i) / baseline.rates.get(i));
        }
        return median(ratios);
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n == 0 ? 0 : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static int seqOf(String argument) {
        return Integer.parseInt(argument.substring(0, argument.indexOf(':')));
    }

    private static Sdk start(SdkConfig config) {
        return Sdk.builder().config(config).meterRegistry(new SimpleMeterRegistry())
                .modules(List.of(new RedisModule(), new BackplaneModule())).build();
    }

    /**
     * A sink that counts, implementing {@link ConnectionSink#nonBlocking()} itself as a transport's sink would: one
     * object per connection, where the {@code nonBlocking(lambda)} convenience costs a wrapper (a second memory load
     * per delivery).
     */
    static final class CountingSink implements ConnectionSink {
        private final LongAdder deliveries;

        CountingSink(LongAdder deliveries) {
            this.deliveries = deliveries;
        }

        @Override
        public void deliver(HubFrame frame) {
            deliveries.increment();
        }

        @Override
        public boolean nonBlocking() {
            return true;
        }
    }

    /** What one side measured: per-message delivery latency at the probes, and deliveries counted. */
    static final class Side {
        final long[] sentAt;
        final long[] latencies;
        final AtomicLong probes = new AtomicLong();
        // striped: one contended AtomicLong bumped by both servers per member cost each side a cache-line transfer per delivery
        final LongAdder deliveries = new LongAdder();
        /** Saturated msg/s per round. */
        final List<Double> rates = new ArrayList<>();
        /** This JVM's CPU time per message (all sides' threads: the idle ones add little), per round. */
        final List<Double> cpuPerMessage = new ArrayList<>();

        Side(int messages) {
            sentAt = new long[messages];
            latencies = new long[messages * 2];
        }

        double best() {
            return rates.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        }

        void reset() {
            probes.set(0);
            deliveries.reset();
        }

        void probe(int seq) {
            long latency = System.nanoTime() - sentAt[seq];
            int slot = (int) probes.getAndIncrement();
            if (slot < latencies.length) {
                latencies[slot] = latency;
            }
        }

        void awaitProbes(long expected) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (probes.get() < expected && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            if (probes.get() < expected) {
                System.out.printf(Locale.ROOT, "  lost: %d of %d probe deliveries never arrived%n", expected - probes.get(), expected);
            }
        }

        String percentiles() {
            int n = (int) Math.min(probes.get(), latencies.length);
            long[] sorted = Arrays.copyOf(latencies, n);
            Arrays.sort(sorted);
            return String.format(Locale.ROOT, "p50 %.2f ms, p99 %.2f ms", sorted[n / 2] / 1e6, sorted[(int) (n * 0.99)] / 1e6);
        }
    }

    /** The same JSON invocation frame the SDK sends, as bare bytes. */
    static final class BareFrames {
        static byte[] frame(String argument) {
            return ("{\"type\":1,\"target\":\"Msg\",\"arguments\":[\"" + argument + "\"]}\u001e")
                    .getBytes(StandardCharsets.UTF_8);
        }

        static String firstArgument(byte[] frame) {
            try {
                return JSON.readTree(frame, 0, frame.length - 1)
                        .get("arguments").get(0).asText();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
