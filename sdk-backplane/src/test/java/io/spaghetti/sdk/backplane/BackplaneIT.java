package io.spaghetti.sdk.backplane;

import static io.spaghetti.sdk.backplane.TestHubs.hub;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.spaghetti.sdk.backplane.TestHubs.Inbox;
import io.spaghetti.sdk.backplane.internal.HubProtocol;
import io.spaghetti.sdk.backplane.internal.WireFormat;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.redis.RedisConfig;
import io.spaghetti.sdk.core.redis.RedisModule;
import io.spaghetti.sdk.core.testing.StackEnv;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.redisson.api.RTopic;
import org.redisson.client.codec.ByteArrayCodec;

/** Two or more SDK instances (separate Redisson clients) sharing the stack's real Redis. */
class BackplaneIT {
    private final String prefix = "it" + UUID.randomUUID().toString().substring(0, 8);
    private final String yaml = "channelPrefix: " + prefix + "\nprotocols: [json, messagepack]\ngroupAckTimeout: 2s\n"
            + "clientResultTimeout: 3s\npresence:\n  heartbeat: 500ms\n  ttl: 2s\n";
    private final TestHubs hubs = new TestHubs(yaml, TestHubs::standalone);

    @AfterEach
    void close() {
        hubs.close();
    }

    @Test
    void sendToAllReachesEveryServerAndHonoursExclusions() throws Exception {
        Sdk a = hubs.instance();
        Sdk b = hubs.instance();
        Inbox c1 = new Inbox();
        Inbox c2 = new Inbox();
        Inbox c3 = new Inbox();
        hub(a).register("c1", "u1", "json", c1);
        hub(b).register("c2", "u2", "messagepack", c2);
        hub(b).register("c3", "u3", "json", c3);

        hub(a).sendAllExcept(List.of("c3"), "Note", "hi", 1).get(5, TimeUnit.SECONDS);
        hub(a).sendAll("Marker").get(5, TimeUnit.SECONDS);

        HubInvocation atC1 = c1.nextIs("Note");
        assertThat(atC1.arguments()).extracting(JsonNode::asText).containsExactly("hi", "1");
        assertThat(c2.nextIs("Note").arguments().get(0).asText()).isEqualTo("hi");
        c3.nextIs("Marker");
        assertThat(counter(b, "backplane.messages.received", "kind", "all")).isEqualTo(2);
        assertThat(counter(a, "backplane.messages.sent", "kind", "all")).isEqualTo(2);
        await().untilAsserted(() -> assertThat(a.meterRegistry().get("backplane.delivery.latency").timer().count())
                .isEqualTo(2));
    }

    @Test
    void remoteGroupAddIsAcknowledgedAndGroupSendsReachOnlyMembers() throws Exception {
        Sdk a = hubs.instance();
        Sdk b = hubs.instance();
        Inbox member = new Inbox();
        Inbox other = new Inbox();
        Inbox localMember = new Inbox();
        hub(b).register("m1", "u1", "json", member);
        hub(b).register("o1", "u2", "json", other);
        hub(a).register("m2", "u3", "json", localMember);

        hub(a).addToGroup("m1", "doc-1").get(5, TimeUnit.SECONDS);
        hub(a).addToGroup("m2", "doc-1").get(5, TimeUnit.SECONDS);
        assertThat(a.meterRegistry().get("backplane.group.ack.duration").timer().count()).isEqualTo(1);

        hub(b).sendGroup("doc-1", "Edit", Map.of("op", "insert")).get(5, TimeUnit.SECONDS);
        assertThat(member.nextIs("Edit").arguments().get(0).get("op").asText()).isEqualTo("insert");
        localMember.nextIs("Edit");

        hub(b).sendGroupExcept("doc-1", List.of("m1"), "NotForM1").get(5, TimeUnit.SECONDS);
        hub(a).sendGroups(List.of("doc-1", "doc-2"), "Both").get(5, TimeUnit.SECONDS);
        localMember.nextIs("NotForM1");
        member.nextIs("Both");

        hub(a).removeFromGroup("m1", "doc-1").get(5, TimeUnit.SECONDS);
        hub(a).sendGroup("doc-1", "AfterRemove").get(5, TimeUnit.SECONDS);
        localMember.nextIs("Both");
        localMember.nextIs("AfterRemove");
        hub(a).sendAll("Marker").get(5, TimeUnit.SECONDS);
        member.nextIs("Marker");
        other.nextIs("Marker");
    }

    @Test
    void groupAckTimesOutWhenNoServerHoldsTheConnection() {
        Sdk a = hubs.instance();
        hubs.instance();
        assertThatThrownBy(() -> hub(a).addToGroup("gone", "doc-1").get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(BackplaneException.class)
                .hasMessageContaining("No server acknowledged adding connection 'gone' to group 'doc-1' within PT2S");
        assertThat(counter(a, "backplane.group.ack.timeouts")).isEqualTo(1);
    }

    @Test
    void userAndConnectionSendsReachTheirConnectionsOnAnyServer() throws Exception {
        Sdk a = hubs.instance();
        Sdk b = hubs.instance();
        Inbox u1OnA = new Inbox();
        Inbox u1OnB = new Inbox();
        Inbox u2 = new Inbox();
        hub(a).register("a1", "u1", "json", u1OnA);
        hub(b).register("b1", "u1", "messagepack", u1OnB);
        hub(b).register("b2", "u2", "json", u2);

        hub(a).sendUser("u1", "ForU1").get(5, TimeUnit.SECONDS);
        u1OnA.nextIs("ForU1");
        u1OnB.nextIs("ForU1");
        hub(a).sendUsers(List.of("u1", "u2"), "ForBoth").get(5, TimeUnit.SECONDS);
        u2.nextIs("ForBoth");

        hub(a).sendConnection("b2", "Direct", 7).get(5, TimeUnit.SECONDS);
        assertThat(u2.nextIs("Direct").arguments().get(0).asInt()).isEqualTo(7);
        hub(a).sendConnections(List.of("a1", "b1"), "Both").get(5, TimeUnit.SECONDS);
        // a user send and a connection send travel on different channels: Redis orders neither against the other
        assertThat(List.of(u1OnA.next().target(), u1OnA.next().target())).containsExactlyInAnyOrder("ForBoth", "Both");
        assertThat(List.of(u1OnB.next().target(), u1OnB.next().target())).containsExactlyInAnyOrder("ForBoth", "Both");

        hub(a).sendConnection("nobody", "Lost").get(5, TimeUnit.SECONDS);
        assertThat(counter(a, "backplane.messages.undelivered", "reason", "no_receiver")).isEqualTo(1);
    }

    @Test
    void clientResultsRoundTripAcrossServers() throws Exception {
        Sdk a = hubs.instance();
        Sdk b = hubs.instance();
        AtomicReference<LocalConnection> ref = new AtomicReference<>();
        ref.set(hub(b).register("calc", "u1", "messagepack", frame -> {
            HubInvocation inv = frame.invocation();
            if (inv.target().equals("Double")) {
                ref.get().complete(inv.invocationId(), inv.arguments().get(0).asInt() * 2);
            } else if (inv.target().equals("Fail")) {
                ref.get().fail(inv.invocationId(), "no such method");
            }
        }));

        assertThat(hub(a).invokeConnection("calc", "Double", 21).get(5, TimeUnit.SECONDS).asInt()).isEqualTo(42);
        assertThat(hub(b).invokeConnection("calc", "Double", 5).get(5, TimeUnit.SECONDS).asInt()).isEqualTo(10);
        assertThatThrownBy(() -> hub(a).invokeConnection("calc", "Fail").get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(BackplaneException.class).hasMessageContaining("no such method");
        assertThatThrownBy(() -> hub(a).invokeConnection("nobody", "Double", 1).get(5, TimeUnit.SECONDS))
                .cause().hasMessage("Connection 'nobody' does not exist.");

        var pending = hub(a).invokeConnection("calc", "Wait");
        await().until(() -> counter(b, "backplane.messages.received", "kind", "connection") >= 3);
        ref.get().close();
        assertThatThrownBy(() -> pending.get(5, TimeUnit.SECONDS)).cause().hasMessageContaining("Connection disconnected.");
        assertThat(counter(a, "backplane.client.results", "outcome", "success")).isEqualTo(1);
        assertThat(counter(a, "backplane.client.results", "outcome", "error")).isEqualTo(3);
    }

    @Test
    void presenceDisappearsWhenAServerIsKilled() throws Exception {
        Sdk a = hubs.instance();
        hub(a).register("local-1", "alice", "json", new Inbox());
        hub(a).addToGroup("local-1", "doc-p").get(5, TimeUnit.SECONDS);
        Process child = startChild("child-1", "bob", "doc-p");
        try {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(hub(a).presence("doc-p"))
                    .extracting(Presence::userId).containsExactlyInAnyOrder("alice", "bob"));
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            long killed = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(hub(a).presence("doc-p"))
                    .extracting(Presence::userId).containsExactly("alice"));
            System.out.printf("presence: a SIGKILLed server's connection vanished %d ms after the kill (ttl 2s)%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
        } finally {
            child.destroyForcibly();
        }
        assertThat(a.meterRegistry().get("backplane.collaborators.active").gauge().value()).isEqualTo(1);
    }

    /** A .NET server with the same ChannelPrefix sees the SDK's messages on its literal channels, and vice versa. */
    @Test
    void channelPrefixIsWrittenInFrontOfEveryChannelName() throws Exception {
        Sdk a = hubs.instance();
        Inbox c = new Inbox();
        hub(a).register("c1", null, "json", c);
        hub(a).addToGroup("c1", "room").get(5, TimeUnit.SECONDS);
        var raw = a.module(RedisModule.class).client();
        BlockingQueue<byte[]> seen = new LinkedBlockingQueue<>();
        RTopic all = raw.getTopic(prefix + TestHubs.HUB + ":all", ByteArrayCodec.INSTANCE);
        int listener = all.addListener(byte[].class, (ch, msg) -> seen.add(msg));
        try {
            hub(a).sendAll("Hello", "x").get(5, TimeUnit.SECONDS);
            WireFormat.Invocation inv = WireFormat.readInvocation(seen.poll(5, TimeUnit.SECONDS));
            assertThat(inv.frames().keySet()).containsExactly("json", "messagepack");
            c.nextIs("Hello");

            byte[] dotnetFrame = "{\"type\":1,\"target\":\"FromDotNet\",\"arguments\":[\"y\"]}\u001e".getBytes();
            long receivers = raw.getTopic(prefix + TestHubs.HUB + ":group:room", ByteArrayCodec.INSTANCE)
                    .publish(WireFormat.writeInvocation(new WireFormat.Invocation(List.of(), Map.of("json", dotnetFrame),
                            null, null)));
            assertThat(receivers).isEqualTo(1);
            assertThat(c.nextIs("FromDotNet").arguments().get(0).asText()).isEqualTo("y");
        } finally {
            all.removeListener(listener);
        }
    }

    /** Client results with a .NET origin and a .NET owner: return channel names travel without the prefix. */
    @Test
    void clientResultsInteroperateWithDotNetServersUnderAChannelPrefix() throws Exception {
        Sdk a = hubs.instance();
        var raw = a.module(RedisModule.class).client();
        AtomicReference<LocalConnection> ref = new AtomicReference<>();
        ref.set(hub(a).register("calc", null, "json", frame ->
                ref.get().complete(frame.invocation().invocationId(), 42)));

        // A .NET origin: invocation with returnChannel "<Hub>:internal:return:<server>", subscribed with the prefix.
        String dotnetReturn = TestHubs.HUB + ":internal:return:dotnet_0123";
        BlockingQueue<byte[]> completions = new LinkedBlockingQueue<>();
        RTopic returns = raw.getTopic(prefix + dotnetReturn, ByteArrayCodec.INSTANCE);
        int listener = returns.addListener(byte[].class, (ch, msg) -> completions.add(msg));
        try {
            byte[] frame = ("{\"type\":1,\"invocationId\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"target\":\"Ask\","
                    + "\"arguments\":[]}\u001e").getBytes();
            raw.getTopic(prefix + TestHubs.HUB + ":connection:calc", ByteArrayCodec.INSTANCE).publish(
                    WireFormat.writeInvocation(new WireFormat.Invocation(List.of(), Map.of("json", frame),
                            "AAAAAAAAAAAAAAAAAAAAAA", dotnetReturn)));
            byte[] completion = completions.poll(5, TimeUnit.SECONDS);
            assertThat(completion).as("completion published to prefix + the received name").isNotNull();
            var result = HubProtocol.JSON.readCompletion(WireFormat.readCompletion(completion).frame());
            assertThat(result.result().asInt()).isEqualTo(42);
        } finally {
            returns.removeListener(listener);
        }

        // An SDK origin: what a .NET owner reads as the return channel has no prefix.
        BlockingQueue<byte[]> invocations = new LinkedBlockingQueue<>();
        RTopic dotnetConnection = raw.getTopic(prefix + TestHubs.HUB + ":connection:dotnet-conn", ByteArrayCodec.INSTANCE);
        int l2 = dotnetConnection.addListener(byte[].class, (ch, msg) -> invocations.add(msg));
        try {
            hub(a).invokeConnection("dotnet-conn", "Ask");
            WireFormat.Invocation inv = WireFormat.readInvocation(invocations.poll(5, TimeUnit.SECONDS));
            String server = a.module(BackplaneModule.class).serverName();
            assertThat(inv.returnChannel()).isEqualTo(TestHubs.HUB + ":internal:return:" + server)
                    .doesNotStartWith(prefix);
        } finally {
            dotnetConnection.removeListener(l2);
        }
    }

    @Test
    void aConnectionsGroupsMatchCaseInsensitivelyAsInDotNet() throws Exception {
        Sdk a = hubs.instance();
        Inbox c = new Inbox();
        LocalConnection conn = hub(a).register("c-case", "u", "json", c);
        hub(a).addToGroup("c-case", "Doc-1").get(5, TimeUnit.SECONDS);
        hub(a).addToGroup("c-case", "doc-1").get(5, TimeUnit.SECONDS);
        assertThat(conn.groups()).containsExactly("Doc-1");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(hub(a).presence("Doc-1")).hasSize(1));
        hub(a).removeFromGroup("c-case", "DOC-1").get(5, TimeUnit.SECONDS);
        assertThat(conn.groups()).isEmpty();
        hub(a).sendGroup("Doc-1", "AfterLeave").get(5, TimeUnit.SECONDS);
        hub(a).sendAll("Marker").get(5, TimeUnit.SECONDS);
        c.nextIs("Marker");
    }

    @Test
    void aBlockedSinkDelaysNoOtherConnectionAndIsClosedAsASlowConsumer() throws Exception {
        try (TestHubs small = new TestHubs(yaml + "connectionBuffer: 20\n", TestHubs::standalone)) {
            Sdk a = small.instance();
            Sdk b = small.instance();
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            AtomicReference<String> closedBecause = new AtomicReference<>();
            hub(a).register("stuck", null, "json", new ConnectionSink() {
                @Override
                public void deliver(HubFrame frame) throws InterruptedException {
                    release.await();
                }

                @Override
                public void closed(String reason) {
                    closedBecause.set(reason);
                }
            });
            hub(a).addToGroup("stuck", "room").get(5, TimeUnit.SECONDS);
            // More healthy connections than delivery lanes: some share the stuck sink's lane.
            List<Inbox> healthy = new java.util.ArrayList<>();
            for (int h = 0; h < 8; h++) {
                Inbox inbox = new Inbox();
                healthy.add(inbox);
                hub(a).register("healthy-" + h, null, "json", inbox);
                hub(a).addToGroup("healthy-" + h, "room").get(5, TimeUnit.SECONDS);
            }
            try {
                long t0 = System.nanoTime();
                for (int i = 0; i < 100; i++) {
                    hub(b).sendGroup("room", "M", i).get(5, TimeUnit.SECONDS);
                }
                for (Inbox inbox : healthy) {
                    for (int i = 0; i < 100; i++) {
                        assertThat(inbox.nextIs("M").arguments().get(0).asInt()).isEqualTo(i);
                    }
                }
                System.out.printf("blocked sink: 100 group messages reached 8 healthy connections in %d ms%n",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                await().atMost(Duration.ofSeconds(5)).until(() -> "slow consumer".equals(closedBecause.get()));
                assertThat(counter(a, "backplane.connections.closed", "reason", "slow_consumer")).isEqualTo(1);
                assertThat(a.meterRegistry().get("backplane.connections.active").gauge().value()).isEqualTo(8);
            } finally {
                release.countDown();
            }
        }
    }

    @Test
    void aNonBlockingSinkIsCalledOnTheReceivingThreadAndTheOthersOnADeliveryLane() throws Exception {
        Sdk a = hubs.instance();
        Sdk b = hubs.instance();
        java.util.Queue<String> inlineThreads = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.Queue<String> lanedThreads = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.Queue<Integer> inlineOrder = new java.util.concurrent.ConcurrentLinkedQueue<>();
        hub(a).register("inline", null, "json", ConnectionSink.nonBlocking(frame -> {
            inlineThreads.add(Thread.currentThread().getName());
            inlineOrder.add(frame.invocation().arguments().get(0).asInt());
        }));
        hub(a).register("laned", null, "json", frame -> lanedThreads.add(Thread.currentThread().getName()));
        hub(a).addToGroup("inline", "mixed").get(5, TimeUnit.SECONDS);
        hub(a).addToGroup("laned", "mixed").get(5, TimeUnit.SECONDS);
        for (int i = 0; i < 50; i++) {
            hub(b).sendGroup("mixed", "M", i).get(5, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> inlineOrder.size() == 50 && lanedThreads.size() == 50);
        assertThat(inlineOrder).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 50).boxed().toList());
        assertThat(lanedThreads).allMatch(t -> t.contains("backplane-delivery"));
        assertThat(inlineThreads).noneMatch(t -> t.contains("backplane-delivery"));
    }

    @Test
    void aGroupOfNonBlockingSinksFollowsJoinsAndLeavesAndCountsWhatItCouldNotDeliver() throws Exception {
        Sdk a = hubs.instance();
        Sdk b = hubs.instance();
        java.util.Map<String, java.util.Queue<Integer>> got = new java.util.concurrent.ConcurrentHashMap<>();
        for (String id : List.of("m1", "m2", "m3")) {
            java.util.Queue<Integer> q = new java.util.concurrent.ConcurrentLinkedQueue<>();
            got.put(id, q);
            hub(a).register(id, "user-" + id, "json", ConnectionSink.nonBlocking(
                    frame -> q.add(frame.invocation().arguments().get(0).asInt())));
        }
        hub(a).register("mp", null, "messagepack", ConnectionSink.nonBlocking(frame -> { }));
        hub(a).register("broken", null, "json", ConnectionSink.nonBlocking(frame -> {
            throw new IllegalStateException("client gone");
        }));
        for (String id : List.of("m1", "m2", "mp", "broken")) {
            hub(a).addToGroup(id, "inline-only").get(5, TimeUnit.SECONDS);
        }
        // json only: the messagepack member's protocol is missing, the broken sink fails, the others get it
        try (TestHubs jsonOnly = new TestHubs("channelPrefix: " + prefix + "\nprotocols: [json]\n", TestHubs::standalone)) {
            HubContext sender = hub(jsonOnly.instance());
            sender.sendGroup("inline-only", "M", 1).get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> got.get("m1").size() == 1 && got.get("m2").size() == 1);
            await().untilAsserted(() -> {
                assertThat(counter(a, "backplane.messages.undelivered", "reason", "protocol_missing")).isEqualTo(1);
                assertThat(counter(a, "backplane.messages.undelivered", "reason", "sink_failed")).isEqualTo(1);
            });
        }
        hub(a).removeFromGroup("m1", "inline-only").get(5, TimeUnit.SECONDS);
        hub(a).addToGroup("m3", "inline-only").get(5, TimeUnit.SECONDS);
        hub(b).sendGroup("inline-only", "M", 2).get(5, TimeUnit.SECONDS);
        hub(b).sendUser("user-m1", "M", 3).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> got.get("m3").size() == 1 && got.get("m1").size() == 2);
        assertThat(got.get("m1")).containsExactly(1, 3);
        assertThat(got.get("m2")).containsExactly(1, 2);
        assertThat(got.get("m3")).containsExactly(2);
    }

    @Test
    void closingTheSdkLogsNoLostSubscription() throws Exception {
        Sdk a = hubs.instance();
        hub(a).register("c", null, "json", new Inbox());
        hub(a).addToGroup("c", "g").get(5, TimeUnit.SECONDS);
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        // slf4j-simple writes to whatever System.err is at the time of the call
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            a.close();
            Thread.sleep(500); // Redisson reports the unsubscribes on its own threads
        } finally {
            System.setErr(stderr);
        }
        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("Spaghetti SDK closed").doesNotContain("lost its Redis subscription");
    }

    @Test
    void oversizedSendsFailClearlyAndConcurrentLargeSendsLoseNothing() throws Exception {
        Sdk a = hubs.instance();
        Sdk b = hubs.instance();
        Inbox big = new Inbox();
        Inbox other = new Inbox();
        hub(b).register("big", null, "json", big);
        hub(b).register("other", null, "json", other);
        hub(a).addToGroup("big", "big-room").get(5, TimeUnit.SECONDS);
        hub(a).addToGroup("other", "other-room").get(5, TimeUnit.SECONDS);

        String tenMegabytes = "x".repeat(10 * 1024 * 1024);
        assertThatThrownBy(() -> hub(a).sendGroup("big-room", "Huge", tenMegabytes))
                .isInstanceOf(BackplaneException.class).hasMessageContaining("backplane.maxMessageSize")
                .hasMessageContaining("send a reference");
        assertThat(counter(a, "backplane.messages.undelivered", "reason", "oversized")).isEqualTo(1);

        // Six concurrent sends just under the limit (both protocols' frames count), with acknowledged sends to
        // another group in between: Redis keeps the subscriber, nothing is lost.
        String nearLimit = "y".repeat(480 * 1024);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        List<java.util.concurrent.Future<?>> sends = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            sends.add(pool.submit(() -> hub(a).sendGroup("big-room", "Large", nearLimit).get(10, TimeUnit.SECONDS)));
        }
        for (int i = 0; i < 200; i++) {
            hub(a).sendGroup("other-room", "Small", i).get(5, TimeUnit.SECONDS);
        }
        for (var f : sends) {
            f.get(20, TimeUnit.SECONDS);
        }
        pool.shutdown();
        for (int i = 0; i < 200; i++) {
            assertThat(other.nextIs("Small").arguments().get(0).asInt()).isEqualTo(i);
        }
        for (int i = 0; i < 6; i++) {
            big.nextIs("Large");
        }
        assertThat(counter(b, "backplane.reconnects")).isZero();
    }

    @Test
    void duringARedisOutageSendsAndPresenceFailFastWithTheReason() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dir = java.nio.file.Files.createTempDirectory("backplane-outage");
        Process redis = io.spaghetti.sdk.core.testing.LocalRedis.start(port, dir);
        try (TestHubs own = new TestHubs(yaml, r -> r.addresses(List.of("127.0.0.1:" + port))
                .timeout(Duration.ofMillis(500)).connectTimeout(Duration.ofMillis(500)))) {
            Sdk a = own.instance();
            hub(a).register("c-out", "u", "json", new Inbox());
            hub(a).addToGroup("c-out", "g").get(5, TimeUnit.SECONDS);
            assertThat(hub(a).presence("g")).hasSize(1);
            redis.destroyForcibly().waitFor();

            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> hub(a).sendGroup("g", "M").get(10, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(BackplaneException.class)
                        .hasMessageContaining("was not sent");
                assertThatThrownBy(() -> hub(a).presence("g")).isInstanceOf(BackplaneException.class)
                        .hasMessageContaining("unavailable");
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertThat(ms).as("both answered within the 3 s policy timeout, twice").isLessThan(8_000);
            }
        } finally {
            redis.destroyForcibly().waitFor();
        }
    }


    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {"cluster|", "sentinel|", "cluster|shardedPubSub: true",
            "cluster|delivery: streams;streams: {shards: 3}", "sentinel|delivery: both"})
    void worksOnClusterAndSentinel(String mode, String extra) throws Exception {
        UnaryOperator<RedisConfig.Builder> redis = mode.equals("cluster") ? TestHubs::cluster : TestHubs::sentinel;
        String id = mode + UUID.randomUUID().toString().substring(0, 4);
        try (TestHubs topology = new TestHubs(yaml + (extra == null ? "" : extra.replace(';', '\n') + "\n"), redis)) {
            Sdk a = topology.instance();
            Sdk b = topology.instance();
            Inbox onB = new Inbox();
            LocalConnection c = hub(b).register("c-" + id, "u-" + id, "json", onB);
            hub(a).addToGroup("c-" + id, "g").get(5, TimeUnit.SECONDS);
            hub(a).sendGroup("g", "G").get(5, TimeUnit.SECONDS);
            onB.nextIs("G");
            hub(a).sendUser("u-" + id, "U").get(5, TimeUnit.SECONDS);
            onB.nextIs("U");
            hub(a).sendConnection("c-" + id, "C").get(5, TimeUnit.SECONDS);
            onB.nextIs("C");
            hub(a).sendAll("A").get(5, TimeUnit.SECONDS);
            onB.nextIs("A");
            var answer = hub(a).invokeConnection("c-" + id, "Ask");
            c.complete(onB.nextIs("Ask").invocationId(), 42);
            assertThat(answer.get(5, TimeUnit.SECONDS).asInt()).isEqualTo(42);
            assertThat(hub(a).presence("g")).extracting(Presence::connectionId).containsExactly("c-" + id);
            assertThat(onB.quietFor(Duration.ofMillis(200))).as("nothing twice").isTrue();
            if ("shardedPubSub: true".equals(extra)) {
                // SSUBSCRIBE: the group's channel is a shard channel on its slot's nodes, not a cluster-wide one
                String channel = prefix + TestHubs.HUB + ":group:g";
                assertThat(clusterSubscribers("SHARDNUMSUB", channel)).isEqualTo(1);
                assertThat(clusterSubscribers("NUMSUB", channel)).isZero();
            }
        }
    }

    /** The subscribers of {@code channel} over every node of the stack's cluster (each node counts its own). */
    private static long clusterSubscribers(String command, String channel) throws Exception {
        long total = 0;
        for (String address : StackEnv.require("STACK_REDIS_CLUSTER_ADDRESSES").split(",")) {
            String[] hp = address.replaceFirst("^redis://", "").split(":");
            Process p = new ProcessBuilder("redis-cli", "-h", hp[0], "-p", hp[1], "PUBSUB", command, channel).start();
            List<String> lines = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .lines().toList();
            assertThat(p.waitFor()).isZero();
            total += Long.parseLong(lines.get(1).trim());
        }
        return total;
    }

    @Test
    void whatCouldNotBeDeliveredIsCountedByReason() throws Exception {
        try (TestHubs jsonOnly = new TestHubs("channelPrefix: " + prefix + "\nprotocols: [json]\n", TestHubs::standalone)) {
            Sdk a = jsonOnly.instance();
            hub(a).register("mp", null, "messagepack", new Inbox());
            hub(a).register("broken", null, "json", frame -> {
                throw new IllegalStateException("client gone");
            });
            Inbox marker = new Inbox();
            hub(a).register("ok", null, "json", marker);
            hub(a).sendAll("Hello").get(5, TimeUnit.SECONDS);
            marker.nextIs("Hello");
            await().untilAsserted(() -> {
                assertThat(counter(a, "backplane.messages.undelivered", "reason", "protocol_missing")).isEqualTo(1);
                assertThat(counter(a, "backplane.messages.undelivered", "reason", "sink_failed")).isEqualTo(1);
            });
        }
    }

    @Test
    void badInputIsRefusedWithTheFix() {
        Sdk a = hubs.instance();
        hub(a).register("dup", null, "json", new Inbox());
        assertThatThrownBy(() -> hub(a).register("dup", null, "json", new Inbox()))
                .isInstanceOf(BackplaneException.class).hasMessageContaining("already registered");
        assertThatThrownBy(() -> hub(a).register("x", null, "xml", new Inbox()))
                .isInstanceOf(BackplaneException.class).hasMessageContaining("use json or messagepack");
        assertThatThrownBy(() -> hub(a).sendGroup(" ", "T")).hasMessageContaining("group is empty");
        assertThatThrownBy(() -> hub(a).sendAll("T", new Object() {
            @SuppressWarnings("unused")
            public Object getSelf() {
                return this;
            }
        })).isInstanceOf(BackplaneException.class).hasMessageContaining("Cannot serialize");
    }

    private Process startChild(String connectionId, String userId, String group) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                PresenceChild.class.getName(), prefix, connectionId, userId, group).redirectErrorStream(true);
        pb.environment().put("CHILD_REDIS_ADDRESS", StackEnv.require("STACK_REDIS_ADDRESS"));
        pb.environment().put("CHILD_REDIS_PASSWORD", StackEnv.require("STACK_REDIS_PASSWORD"));
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
        String line;
        while ((line = out.readLine()) != null && !line.equals("READY")) {
            // start-up logs
        }
        assertThat(line).as("child server start-up").isEqualTo("READY");
        return p;
    }

    private static double counter(Sdk sdk, String name, String... tags) {
        return sdk.meterRegistry().get(name).tags(tags).counter().count();
    }

    /** A second server in its own process, so the test can SIGKILL it. */
    public static final class PresenceChild {
        public static void main(String[] args) throws Exception {
            String yaml = "channelPrefix: " + args[0] + "\npresence:\n  heartbeat: 500ms\n  ttl: 2s\n";
            Sdk sdk = TestHubs.start(yaml, b -> b.addresses(List.of(System.getenv("CHILD_REDIS_ADDRESS")))
                    .password(io.spaghetti.sdk.core.config.Secret.ofValue(System.getenv("CHILD_REDIS_PASSWORD"))));
            HubContext hub = hub(sdk);
            hub.register(args[1], args[2], "json", frame -> { });
            hub.addToGroup(args[1], args[3]).get(5, TimeUnit.SECONDS);
            System.out.println("READY");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
