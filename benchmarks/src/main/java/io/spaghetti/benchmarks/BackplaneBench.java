package io.spaghetti.benchmarks;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spaghetti.sdk.backplane.BackplaneModule;
import io.spaghetti.sdk.backplane.ConnectionSink;
import io.spaghetti.sdk.backplane.HubContext;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.core.redis.RedisModule;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;

/**
 * Group fan-out on the backplane against bare Redisson RTopic publish/subscribe doing the same
 * work in the same run: two servers in one JVM (separate Redis clients), connections split evenly
 * between them, groups with members on both servers. Per message one member of each group
 * decodes it (to time delivery); the others only count it, on every side. The SDK runs twice: with pub/sub delivery
 * and with streams delivery (standalone Redis: no replica to wait for).
 * Arguments: [connections, default 10000] [groups, default 100] [messages, default 40000] [paced msg/s, default 500].
 */
public final class BackplaneBench {
    private static final String HUB = "Bench.Hub";
    private static final ObjectMapper JSON = new ObjectMapper();

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
        Side bare = new Side(messages);
        int membersPerServer = connections / groups / 2;
        String barePrefix = "barebench" + System.nanoTime() + ":";
        for (RedissonClient c : List.of(bareA, bareB)) {
            for (int g = 0; g < groups; g++) {
                c.getTopic(barePrefix + g, ByteArrayCodec.INSTANCE).addListener(byte[].class, (ch, msg) -> {
                    bare.probe(seqOf(BareFrames.firstArgument(msg)));
                    for (int m = 1; m < membersPerServer; m++) {
                        bare.deliveries.incrementAndGet();
                    }
                });
            }
        }

        // One warm-up round each (JIT), then alternate the sides so none always runs warmer.
        for (int round = 0; round <= 3; round++) {
            if (round == 1) {
                sdk.bestRate = 0;
                streams.bestRate = 0;
                bare.bestRate = 0;
                System.out.println("(round 0 above was warm-up and is not counted)");
            }
            run("sdk pubsub", sdk, messages, pacedRate,
                    seq -> hubA.sendGroup("g" + (seq % groups), "Msg", seq + ":" + payload));
            run("sdk streams", streams, messages, pacedRate,
                    seq -> streamsA.sendGroup("g" + (seq % groups), "Msg", seq + ":" + payload));
            run("bare", bare, messages, pacedRate, seq -> publishBare(bareA, barePrefix + (seq % groups), seq, payload));
        }
        System.out.printf(Locale.ROOT, "fan-out throughput, SDK pubsub / bare Redisson RTopic: %.2fx (target >= 0.9x)%n",
                sdk.bestRate / bare.bestRate);
        System.out.printf(Locale.ROOT, "fan-out throughput, SDK streams / bare Redisson RTopic: %.2fx, streams / pubsub: %.2fx%n",
                streams.bestRate / bare.bestRate, streams.bestRate / sdk.bestRate);
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
            owner.register(id, "u" + i, "json", ConnectionSink.nonBlocking(probe
                    ? frame -> side.probe(seqOf(frame.invocation().arguments().get(0).asText()))
                    : frame -> side.deliveries.incrementAndGet()));
            owner.addToGroup(id, "g" + group).join();
        }
        double regSeconds = (System.nanoTime() - regStart) / 1e9;
        System.out.printf(Locale.ROOT, "registered %d connections in %d groups on 2 servers in %.1f s (%.0f/s)%n", connections,
                groups, regSeconds, connections / regSeconds);
        return hubA;
    }

    private static CompletableFuture<?> publishBare(RedissonClient c, String topic, int seq, String payload) {
        return c.getTopic(topic, ByteArrayCodec.INSTANCE).publishAsync(BareFrames.frame(seq + ":" + payload))
                .toCompletableFuture();
    }

    interface Sender {
        CompletableFuture<?> send(int seq);
    }

    private static void run(String name, Side side, int messages, int pacedRate, Sender sender) throws Exception {
        // throughput: as fast as the publisher goes, at most 1000 in flight
        side.reset();
        Semaphore inFlight = new Semaphore(1000);
        long start = System.nanoTime();
        for (int seq = 0; seq < messages; seq++) {
            inFlight.acquire();
            side.sentAt[seq] = System.nanoTime();
            sender.send(seq).whenComplete((r, e) -> inFlight.release());
        }
        side.awaitProbes(messages * 2L);
        double seconds = (System.nanoTime() - start) / 1e9;
        long deliveries = side.deliveries.get() + side.probes.get();
        double rate = messages / seconds;
        side.bestRate = Math.max(side.bestRate, rate);
        System.out.printf(Locale.ROOT, "%-11s saturated: %d group messages in %.2f s = %.0f msg/s, %.0f deliveries/s; latency %s%n",
                name, messages, seconds, rate, deliveries / seconds, side.percentiles());

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

    private static int seqOf(String argument) {
        return Integer.parseInt(argument.substring(0, argument.indexOf(':')));
    }

    private static Sdk start(SdkConfig config) {
        return Sdk.builder().config(config).meterRegistry(new SimpleMeterRegistry())
                .modules(List.of(new RedisModule(), new BackplaneModule())).build();
    }

    /** What one side measured: per-message delivery latency at the probes, and deliveries counted. */
    static final class Side {
        final long[] sentAt;
        final long[] latencies;
        final AtomicLong probes = new AtomicLong();
        final AtomicLong deliveries = new AtomicLong();
        double bestRate;

        Side(int messages) {
            sentAt = new long[messages];
            latencies = new long[messages * 2];
        }

        void reset() {
            probes.set(0);
            deliveries.set(0);
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
