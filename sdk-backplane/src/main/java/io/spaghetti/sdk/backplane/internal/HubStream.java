package io.spaghetti.sdk.backplane.internal;

import io.github.resilience4j.core.IntervalFunction;
import io.spaghetti.sdk.backplane.BackplaneConfig.StreamsConfig;
import io.spaghetti.sdk.backplane.BackplaneException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RScript;
import org.redisson.api.RScriptAsync;
import org.redisson.api.RStream;
import org.redisson.api.RStreamAsync;
import org.redisson.api.RedissonClient;
import org.redisson.api.StreamInfo;
import org.redisson.api.StreamMessageId;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamReadArgs;
import org.redisson.api.stream.StreamTrimArgs;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.codec.StringCodec;
import org.redisson.codec.CompositeCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hub's messages as Redis streams (delivery {@code streams} and {@code both}). A send adds the message to its
 * channel's stream, trimmed to the configured length (in {@code both} mode one script also publishes the pub/sub
 * form); with replicas it completes only after {@code WAIT}, so what a caller was told is sent survives a failover.
 * Entries past the configured age are trimmed every {@link #AGE_TRIM_INTERVAL}.
 * Every server reads every stream from the last entry it handled: after a dropped connection or a failover it goes
 * on from there, so nothing Redis kept is missed and nothing is handled twice.
 */
final class HubStream {
    private static final Logger log = LoggerFactory.getLogger(HubStream.class);
    /** How long one read waits for new entries: also how long {@link #close} may leave one read running. */
    private static final Duration BLOCK = Duration.ofSeconds(1);
    /** Message ids remembered per stream to drop a message seen twice. */
    static final int DEDUPE_WINDOW = 10_000;
    private static final Duration AGE_TRIM_INTERVAL = Duration.ofSeconds(1);
    private static final String ADD_AND_PUBLISH = """
            redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'c', ARGV[2], 'i', ARGV[3], 'm', ARGV[4])
            return redis.call('PUBLISH', ARGV[5], ARGV[4])""";
    /** Field names as strings, values as the bytes they are. */
    private static final CompositeCodec ENTRY_CODEC = new CompositeCodec(StringCodec.INSTANCE, ByteArrayCodec.INSTANCE,
            ByteArrayCodec.INSTANCE);

    /** Where a read message goes: its channel without the hub's prefix ({@code group:doc}) and its bytes. */
    @FunctionalInterface
    interface Receiver {
        void receive(String channel, byte[] message);
    }

    private final RedissonClient client;
    private final StreamsConfig config;
    private final int replicaAcks;
    private final Duration deadline;
    private final ScheduledExecutorService scheduler;
    private final Receiver receiver;
    private final StreamMetrics metrics;
    private final String hub;
    /** Message ids are this plus a counter: unique per server start (the server name is). */
    private final String idPrefix;
    private final AtomicLong nextId = new AtomicLong();
    private final List<Shard> shards = new ArrayList<>();
    private final java.util.concurrent.ScheduledFuture<?> ageTrim;
    private final IntervalFunction backoff = IntervalFunction.ofExponentialBackoff(Duration.ofMillis(100), 2,
            Duration.ofSeconds(2));
    private volatile boolean closed;

    /**
     * One stream and its reader. Reads follow one another (each is issued from the callback chain of the one before),
     * and so do deliveries: {@link #last}, {@link #delivered} and {@link #failures} belong to the read chain,
     * {@link #recentIds} to the delivery chain.
     */
    private final class Shard {
        final String key;
        final RStream<String, byte[]> stream;
        /** The last entry read: the next read starts after it. */
        StreamMessageId last;
        /** Completes when everything read so far has been delivered. */
        CompletableFuture<Void> delivered = CompletableFuture.completedFuture(null);
        int failures;
        /** Entries added before this instant were sent while this server could not read: counted as redelivered. */
        volatile long resumedAtMs;
        final Map<String, Boolean> recentIds = new LinkedHashMap<>(DEDUPE_WINDOW * 4 / 3, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > DEDUPE_WINDOW;
            }
        };

        Shard(String key) {
            this.key = key;
            this.stream = client.getStream(key, ENTRY_CODEC);
        }
    }

    /**
     * @param keyPrefix   the hub's stream keys are this plus the shard number
     * @param replicaAcks replicas a send waits for (0 where Redis has none)
     * @param deadline    how long a send may wait for Redis and its replicas
     */
    HubStream(RedissonClient client, String hub, String keyPrefix, String serverName, StreamsConfig config,
            int replicaAcks, Duration deadline, ScheduledExecutorService scheduler, StreamMetrics metrics,
            Receiver receiver) {
        this.client = client;
        this.hub = hub;
        this.config = config;
        this.replicaAcks = replicaAcks;
        this.deadline = deadline;
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.receiver = receiver;
        this.idPrefix = serverName + ":";
        for (int i = 0; i < config.shards(); i++) {
            shards.add(new Shard(keyPrefix + i));
        }
        shards.forEach(this::start);
        ageTrim = scheduler.scheduleWithFixedDelay(this::trimByAge, AGE_TRIM_INTERVAL.toMillis(),
                AGE_TRIM_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Adds a message for {@code channel} to its stream and, when {@code pubSubChannel} is set, publishes it there in
     * the same script. Completes with the pub/sub receivers, or -1 when it was not published.
     */
    CompletionStage<Long> append(String channel, byte[] message, String pubSubChannel) {
        Shard shard = shards.get(Math.floorMod(channel.hashCode(), shards.size()));
        if (replicaAcks == 0) {
            return add(shard.stream, client.getScript(ByteArrayCodec.INSTANCE), shard, channel, message, pubSubChannel);
        }
        RBatch batch = client.createBatch(BatchOptions.defaults().sync(replicaAcks, deadline));
        CompletionStage<Long> added = add(batch.getStream(shard.key, ENTRY_CODEC),
                batch.getScript(ByteArrayCodec.INSTANCE), shard, channel, message, pubSubChannel);
        return batch.executeAsync().thenCompose(result -> {
            if (result.getSyncedSlaves() < replicaAcks) {
                // in the stream, so it may still arrive: the caller only learns it is not safe from a failover
                throw new BackplaneException(result.getSyncedSlaves() + " of the " + replicaAcks + " replicas "
                        + "backplane.streams.replicaAcks asks for confirmed it within " + deadline + ", so a failover "
                        + "could lose it (it may still be delivered)");
            }
            return added;
        });
    }

    /** The add (and publish) on {@code stream} or {@code script}: the client's own, or a batch's. */
    private CompletionStage<Long> add(RStreamAsync<String, byte[]> stream, RScriptAsync script, Shard shard,
            String channel, byte[] message, String pubSubChannel) {
        byte[] channelBytes = bytes(channel);
        byte[] id = bytes(idPrefix + nextId.incrementAndGet());
        if (pubSubChannel == null) {
            StreamAddArgs<String, byte[]> entry = StreamAddArgs.<String, byte[]>entries("c", channelBytes, "i", id,
                    "m", message).trimNonStrict().maxLen(config.maxLength()).noLimit();
            return stream.addAsync(entry).thenApply(added -> -1L);
        }
        return script.evalAsync(shard.key, RScript.Mode.READ_WRITE, ADD_AND_PUBLISH, RScript.ReturnType.INTEGER,
                List.of(shard.key), bytes(Integer.toString(config.maxLength())), channelBytes, id, message,
                bytes(pubSubChannel));
    }

    /** Entries older than {@code maxAge} (by this server's clock) go; a failure waits for the next round. */
    private void trimByAge() {
        StreamMessageId oldest = new StreamMessageId(System.currentTimeMillis() - config.maxAge().toMillis(), 0);
        for (Shard s : shards) {
            s.stream.trimAsync(StreamTrimArgs.minId(oldest).noLimit()).whenComplete((trimmed, err) -> {
                if (err != null) {
                    log.debug("Backplane hub {}: trimming stream {} by age failed: {}", hub, s.key, err.toString());
                }
            });
        }
    }

    /** Stops reading; a read in progress ends within {@link #BLOCK}. */
    void close() {
        closed = true;
        ageTrim.cancel(false);
    }

    // ---- reading

    /** Reads from the stream's current end: what was sent before this server joined is not for it. */
    private void start(Shard s) {
        if (closed) {
            return;
        }
        s.stream.rangeReversedAsync(1, StreamMessageId.MAX, StreamMessageId.MIN).whenComplete((newest, err) -> {
            if (err != null) {
                retry(s, err, () -> start(s));
                return;
            }
            s.last = newest.isEmpty() ? new StreamMessageId(0, 0) : newest.keySet().iterator().next();
            s.failures = 0;
            read(s);
        });
    }

    private void read(Shard s) {
        if (closed) {
            return;
        }
        s.stream.readAsync(StreamReadArgs.greaterThan(s.last).count(config.readBatch()).timeout(BLOCK))
                .whenComplete((entries, err) -> {
                    if (err != null) {
                        retry(s, err, () -> resume(s));
                        return;
                    }
                    if (entries == null || entries.isEmpty()) {
                        read(s);
                        return;
                    }
                    for (StreamMessageId id : entries.keySet()) {
                        s.last = id;
                    }
                    // the next read goes out before this batch is delivered, once the batch before it has been:
                    // one batch is delivered while the next one is read
                    CompletableFuture<Void> before = s.delivered;
                    CompletableFuture<Void> mine = new CompletableFuture<>();
                    s.delivered = mine;
                    before.thenRun(() -> {
                        read(s);
                        try {
                            entries.forEach((id, fields) -> handle(s, id, fields));
                        } finally {
                            mine.complete(null);
                        }
                    });
                });
    }

    /** After a failed read: counts a gap when the stream trimmed entries this server had not read yet. */
    private void resume(Shard s) {
        if (closed) {
            return;
        }
        s.stream.getInfoAsync().whenComplete((info, err) -> {
            if (err != null && !noSuchKey(err)) {
                retry(s, err, () -> resume(s));
                return;
            }
            metrics.resumed();
            s.resumedAtMs = System.currentTimeMillis();
            if (info != null) {
                checkGap(s, info);
            }
            log.info("Backplane hub {} reads stream {} again from {}", hub, s.key, s.last);
            s.failures = 0;
            read(s);
        });
    }

    private void checkGap(Shard s, StreamInfo<String, byte[]> info) {
        StreamMessageId deleted = info.getMaxDeletedEntryId();
        if (deleted != null && compare(deleted, s.last) > 0) {
            metrics.gap();
            log.warn("Backplane hub {}: stream {} trimmed messages this server had not read (up to {}, read up to {}): "
                    + "it was disconnected longer than backplane.streams.maxLength or maxAge covers", hub, s.key,
                    deleted, s.last);
        }
        StreamMessageId newest = info.getLastGeneratedId();
        if (newest != null && compare(newest, s.last) < 0) {
            log.info("Backplane hub {}: stream {} ends before what this server read ({} < {}): the new master had not "
                    + "received the last messages, which were already delivered here", hub, s.key, newest, s.last);
        }
    }

    private void handle(Shard s, StreamMessageId id, Map<String, byte[]> fields) {
        byte[] channel = fields.get("c");
        byte[] messageId = fields.get("i");
        byte[] message = fields.get("m");
        if (channel == null || message == null) {
            metrics.malformed();
            return;
        }
        if (messageId != null && s.recentIds.put(new String(messageId, StandardCharsets.UTF_8), Boolean.TRUE) != null) {
            metrics.duplicate();
            return;
        }
        long now = System.currentTimeMillis();
        metrics.lagMillis(now - id.getId0());
        if (id.getId0() < s.resumedAtMs) {
            metrics.redelivered();
        }
        try {
            receiver.receive(new String(channel, StandardCharsets.UTF_8), message);
        } catch (RuntimeException e) {
            log.warn("Backplane hub {}: delivering stream entry {} failed: {}", hub, id, e.toString());
        }
    }

    /** Runs {@code again} after the backoff: Redisson reconnects meanwhile. */
    private void retry(Shard s, Throwable err, Runnable again) {
        if (closed) {
            return;
        }
        s.failures++;
        if (s.failures == 1) {
            log.warn("Backplane hub {} cannot read stream {}: {}; it goes on from {} once Redis answers", hub, s.key,
                    err.toString(), s.last);
        }
        long delay = backoff.apply(Math.min(s.failures, 10));
        scheduler.schedule(again, delay, TimeUnit.MILLISECONDS);
    }

    private static boolean noSuchKey(Throwable err) {
        return String.valueOf(err.getMessage()).contains("no such key");
    }

    private static int compare(StreamMessageId a, StreamMessageId b) {
        return a.getId0() != b.getId0() ? Long.compare(a.getId0(), b.getId0()) : Long.compare(a.getId1(), b.getId1());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
