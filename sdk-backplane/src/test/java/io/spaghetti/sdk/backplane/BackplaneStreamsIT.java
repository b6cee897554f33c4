package io.spaghetti.sdk.backplane;

import static io.spaghetti.sdk.backplane.TestHubs.hub;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.spaghetti.sdk.backplane.TestHubs.Inbox;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.config.SdkConfigException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.StreamMessageId;
import org.redisson.client.codec.ByteArrayCodec;

/** Delivery {@code streams} and {@code both} on the stack's standalone Redis. */
class BackplaneStreamsIT {
    private final String prefix = "st" + UUID.randomUUID().toString().substring(0, 8);
    private final List<TestHubs> all = new java.util.ArrayList<>();

    @AfterEach
    void close() {
        all.forEach(TestHubs::close);
    }

    private Sdk server(String delivery) {
        return server(delivery, "");
    }

    /** @param more further backplane settings, each line ending in a newline */
    private Sdk server(String delivery, String more) {
        TestHubs hubs = new TestHubs("channelPrefix: " + prefix + "\ndelivery: " + delivery + "\n" + more,
                TestHubs::standalone);
        all.add(hubs);
        return hubs.instance();
    }

    @Test
    void streamsModeDeliversEverySendKindOnceToEveryServer() throws Exception {
        Sdk a = server("streams");
        Sdk b = server("streams");
        Inbox atA = new Inbox();
        Inbox atB = new Inbox();
        hub(a).register("ca", "ua", "json", atA);
        hub(b).register("cb", "ub", "messagepack", atB);
        hub(b).addToGroup("cb", "doc").get(5, TimeUnit.SECONDS);

        hub(a).sendAll("All", 1).get(5, TimeUnit.SECONDS);
        hub(a).sendGroup("doc", "Group", 2).get(5, TimeUnit.SECONDS);
        hub(a).sendUser("ub", "User", 3).get(5, TimeUnit.SECONDS);
        hub(a).sendConnection("cb", "Connection", 4).get(5, TimeUnit.SECONDS);
        hub(a).sendGroupExcept("doc", List.of("cb"), "Excluded").get(5, TimeUnit.SECONDS);
        hub(a).sendAll("Last").get(5, TimeUnit.SECONDS);

        atB.nextIs("All");
        atB.nextIs("Group");
        atB.nextIs("User");
        atB.nextIs("Connection");
        atB.nextIs("Last");
        assertThat(atB.quietFor(Duration.ofMillis(300))).as("nothing twice").isTrue();
        atA.nextIs("All");
        atA.nextIs("Last");
        assertThat(atA.quietFor(Duration.ofMillis(100))).isTrue();
        // every server reads each message from the stream and records how long after its addition
        await().untilAsserted(() -> assertThat(b.meterRegistry().get("backplane.stream.lag").timer().count())
                .isEqualTo(6));
        assertThat(b.meterRegistry().get("backplane.stream.duplicates").counter().count()).isZero();
        assertThat(b.meterRegistry().get("backplane.messages.received").tag("kind", "group").counter().count())
                .as("a group message is decoded only where the group has members").isEqualTo(2);
        assertThat(a.meterRegistry().find("backplane.messages.received").tag("kind", "group").counter().count())
                .isZero();
    }

    @Test
    void bothModeWritesThePubSubFormForOtherServersAndSdkServersReadTheStreamOnly() throws Exception {
        Sdk sender = server("both");
        Sdk sdkPeer = server("both");
        // a pub/sub server reads what a .NET server reads: the pub/sub copy
        Sdk dotnetLike = server("pubsub");
        Inbox atPeer = new Inbox();
        Inbox atDotnet = new Inbox();
        hub(sdkPeer).register("p", "u1", "json", atPeer);
        hub(dotnetLike).register("d", "u2", "json", atDotnet);
        hub(sdkPeer).addToGroup("p", "doc").get(5, TimeUnit.SECONDS);
        hub(dotnetLike).addToGroup("d", "doc").get(5, TimeUnit.SECONDS);

        hub(sender).sendGroup("doc", "Edit", 1).get(5, TimeUnit.SECONDS);
        hub(sender).sendConnection("d", "Direct", 2).get(5, TimeUnit.SECONDS);
        hub(sender).sendConnection("p", "Direct", 3).get(5, TimeUnit.SECONDS);
        hub(sender).sendAll("Last").get(5, TimeUnit.SECONDS);

        atPeer.nextIs("Edit");
        atPeer.nextIs("Direct");
        atPeer.nextIs("Last");
        assertThat(atPeer.quietFor(Duration.ofMillis(300))).as("the pub/sub copy is skipped").isTrue();
        atDotnet.nextIs("Edit");
        atDotnet.nextIs("Direct");
        atDotnet.nextIs("Last");
        assertThat(atDotnet.quietFor(Duration.ofMillis(100))).isTrue();
        // the pub/sub copy still counts its receivers: a connection send no server holds is reported
        hub(sender).sendConnection("nobody", "Lost").get(5, TimeUnit.SECONDS);
        await().untilAsserted(() -> assertThat(sender.meterRegistry().get("backplane.messages.undelivered")
                .tag("reason", "no_receiver").counter().count()).isEqualTo(1));
    }

    @Test
    void theStreamIsTrimmedToItsConfiguredLength() throws Exception {
        Sdk a = server("streams", "streams:\n  maxLength: 100\n");
        for (int i = 0; i < 1_000; i++) {
            hub(a).sendGroup("g", "M", i);
        }
        hub(a).sendGroup("g", "M", "last").get(5, TimeUnit.SECONDS);
        RedissonClient redis = a.module(io.spaghetti.sdk.core.redis.RedisModule.class).client();
        RStream<byte[], byte[]> stream = redis.getStream(prefix + TestHubs.HUB + ":stream:0", ByteArrayCodec.INSTANCE);
        // approximate trimming keeps whole radix-tree nodes: at most one node (100 entries) above the limit
        assertThat(stream.size()).isBetween(100L, 200L);
        assertThat(stream.range(1, StreamMessageId.MIN, StreamMessageId.MAX)).hasSize(1);
    }

    @Test
    void entriesOlderThanMaxAgeAreTrimmed() throws Exception {
        Sdk a = server("streams", "streams:\n  maxAge: 2s\n");
        for (int i = 0; i < 10; i++) {
            hub(a).sendGroup("g", "M", i).get(5, TimeUnit.SECONDS);
        }
        RedissonClient redis = a.module(io.spaghetti.sdk.core.redis.RedisModule.class).client();
        RStream<byte[], byte[]> stream = redis.getStream(prefix + TestHubs.HUB + ":stream:0", ByteArrayCodec.INSTANCE);
        assertThat(stream.size()).isEqualTo(10);
        await().atMost(Duration.ofSeconds(8)).until(() -> stream.size() == 0);
    }

    @Test
    void badStreamSettingsAreRejectedWithTheFix() {
        assertThatThrownBy(() -> server("streamz")).isInstanceOf(SdkConfigException.class)
                .hasMessageContaining("backplane.delivery");
        assertThatThrownBy(() -> server("streams", "streams:\n  shards: 0\n  maxLength: 5\n")).isInstanceOf(SdkConfigException.class)
                .hasMessageContaining("backplane.streams.shards").hasMessageContaining("use 1")
                .hasMessageContaining("backplane.streams.maxLength");
    }
}
