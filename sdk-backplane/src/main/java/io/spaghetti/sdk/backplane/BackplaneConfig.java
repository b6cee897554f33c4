package io.spaghetti.sdk.backplane;

import io.spaghetti.sdk.core.config.ConfigProblems;
import io.spaghetti.sdk.core.config.ConfigSection;
import io.spaghetti.sdk.core.config.ModuleSection;
import io.spaghetti.sdk.core.config.Validated;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Section {@code backplane}; defaults in {@code META-INF/spaghetti-sdk/defaults/backplane.yaml}.
 *
 * @param channelPrefix  written in front of every channel name with no separator (StackExchange.Redis ChannelPrefix)
 * @param protocols      the hub protocols every sent message carries, in this order
 * @param serverName     null: host name + {@code _} + 32 hex digits, new at each start
 * @param latencyHeader  add a {@code spaghetti-sent-us} header to sent invocations so receivers measure delivery latency
 * @param maxMessageSize the largest message, in bytes, a send may publish (all its protocols' frames together);
 *                       Redis's pub/sub output buffer limit must hold many of them (the bundled configs: 64 MiB)
 * @param connectionBuffer bounds what waits for delivery: past 64 times this many messages in one delivery lane
 *                       (an overloaded server), new messages for that lane are dropped and counted
 * @param sinkStallTimeout a sink call running longer than this closes its connection as a slow consumer and
 *                       moves its lane to a new thread: the most a blocked sink can delay another connection
 * @param delivery       how sends to all, groups, users and connections travel between servers (see {@link Delivery})
 * @param streams        the streams of {@link Delivery#STREAMS} and {@link Delivery#BOTH}
 * @param shardedPubSub  pub/sub with SSUBSCRIBE/SPUBLISH (Redis 7), so a Redis Cluster sends a message only to the
 *                       nodes of its channel's shard instead of every node. Only when every server of the hub is an
 *                       SDK server: .NET's Redis backplane subscribes with SUBSCRIBE and would not receive them
 */
public record BackplaneConfig(boolean enabled, boolean required, String channelPrefix, List<String> protocols,
        String serverName, Duration groupAckTimeout, Duration clientResultTimeout, boolean latencyHeader,
        int maxMessageSize, int connectionBuffer, Duration sinkStallTimeout, PresenceConfig presence,
        Delivery delivery, StreamsConfig streams, boolean shardedPubSub) implements ModuleSection, Validated {

    public static final ConfigSection<BackplaneConfig> SECTION = ConfigSection.of("backplane", BackplaneConfig.class);

    private static final Set<String> PROTOCOLS = Set.of("json", "messagepack");

    /**
     * @param database  Redis database for presence (single and sentinel; a cluster has only 0)
     * @param heartbeat how often a server renews its connections' presence
     * @param ttl       how long an entry outlives its last heartbeat: a crashed server's connections vanish after it
     */
    public record PresenceConfig(int database, Duration heartbeat, Duration ttl) {
    }

    /**
     * How hub messages travel. Group commands, acknowledgements and client results always use pub/sub: each has an
     * answer or a timeout, so its caller learns of a loss.
     */
    public enum Delivery {
        /** Redis pub/sub, the .NET backplane's wire format: what is published while a server is disconnected is lost. */
        PUBSUB,
        /**
         * Redis streams: every server reads the hub's streams from where it stopped, so a send Redis took reaches every
         * SDK server once, also across a reconnect or failover (within retention). .NET servers do not read them.
         */
        STREAMS,
        /** Streams for SDK servers, and the pub/sub form too for .NET servers on the same hub (SDK servers skip it). */
        BOTH
    }

    /**
     * @param maxLength   entries each stream keeps (trimmed approximately): what a server disconnected longer than
     *                    that many messages misses
     * @param maxAge      entries older than this are trimmed
     * @param shards      streams per hub; a message's stream follows its channel, so one group's messages stay in
     *                    order. More than one spreads a Redis Cluster's load over its masters
     * @param replicaAcks a send completes only once this many replicas have it (WAIT), so a failover cannot lose
     *                    it; used where Redis has replicas (sentinel and cluster), 0 means do not wait
     * @param readBatch   entries one read takes at most
     */
    public record StreamsConfig(int maxLength, Duration maxAge, int shards, int replicaAcks, int readBatch) {
    }

    public BackplaneConfig {
        protocols = List.copyOf(protocols);
    }

    @Override
    public void validate(ConfigProblems problems, String path) {
        problems.require(channelPrefix != null, path + ".channelPrefix", null, "is missing",
                "set it to the .NET servers' ChannelPrefix, or \"\" for none");
        problems.require(!protocols.isEmpty(), path + ".protocols", protocols, "is empty",
                "list the hub protocols your SignalR servers register: [json] or [json, messagepack]");
        for (String p : protocols) {
            problems.require(PROTOCOLS.contains(p), path + ".protocols", p, "is not a hub protocol",
                    "use json or messagepack");
        }
        problems.require(positive(groupAckTimeout), path + ".groupAckTimeout", groupAckTimeout, "must be positive",
                "use e.g. 30s, as SignalR does");
        problems.require(positive(clientResultTimeout), path + ".clientResultTimeout", clientResultTimeout,
                "must be positive", "use e.g. 30s");
        problems.require(maxMessageSize >= 1024 && maxMessageSize <= 16 * 1024 * 1024, path + ".maxMessageSize",
                maxMessageSize, "must be 1024 to 16777216 bytes",
                "use e.g. 1048576 (1 MiB); send a reference to large content instead of the content");
        problems.require(positive(sinkStallTimeout), path + ".sinkStallTimeout", sinkStallTimeout, "must be positive",
                "use e.g. 200ms");
        problems.require(connectionBuffer >= 1, path + ".connectionBuffer", connectionBuffer, "must be at least 1",
                "use e.g. 1000 frames");
        problems.require(presence.database() >= 0 && presence.database() <= 15, path + ".presence.database",
                presence.database(), "is out of range", "use 0 to 15");
        problems.require(positive(presence.heartbeat()), path + ".presence.heartbeat", presence.heartbeat(),
                "must be positive", "use e.g. 5s");
        problems.require(positive(presence.ttl()) && presence.ttl().compareTo(presence.heartbeat().multipliedBy(2)) >= 0,
                path + ".presence.ttl", presence.ttl(), "must be at least twice presence.heartbeat",
                "use e.g. 15s with a 5s heartbeat, so one late heartbeat does not drop a user");
        problems.require(delivery != null, path + ".delivery", null, "is missing", "use pubsub, streams or both");
        problems.require(streams.maxLength() >= 100, path + ".streams.maxLength", streams.maxLength(),
                "must be at least 100", "use e.g. 100000: a server disconnected for that many messages misses them");
        problems.require(positive(streams.maxAge()), path + ".streams.maxAge", streams.maxAge(), "must be positive",
                "use e.g. 10m, longer than a Redis failover takes");
        problems.require(streams.shards() >= 1 && streams.shards() <= 64, path + ".streams.shards", streams.shards(),
                "must be 1 to 64", "use 1, or the number of Redis Cluster masters");
        problems.require(streams.replicaAcks() >= 0, path + ".streams.replicaAcks", streams.replicaAcks(),
                "must not be negative", "use 1 (a failover loses nothing acknowledged) or 0 (do not wait)");
        problems.require(streams.readBatch() >= 1 && streams.readBatch() <= 10_000, path + ".streams.readBatch",
                streams.readBatch(), "must be 1 to 10000", "use e.g. 500");
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }
}
