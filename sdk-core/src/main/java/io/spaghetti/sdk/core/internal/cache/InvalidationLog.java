package io.spaghetti.sdk.core.internal.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.redisson.api.RScript;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.StreamMessageId;
import org.redisson.client.codec.StringCodec;

/**
 * The namespace's recent invalidations as a Redis stream beside the pub/sub channel: every invalidation is added to
 * the stream and published with its stream id in one script, so an instance that missed messages (a dropped
 * subscription, a failover) reads what it missed instead of clearing its whole L1. The stream keeps about
 * {@value #MAX_LENGTH} entries (approximate trimming).
 */
final class InvalidationLog {
    static final int MAX_LENGTH = 10_000;
    private static final String ADD_AND_PUBLISH = """
            local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 'm', ARGV[2])
            redis.call('PUBLISH', ARGV[1], id .. ' ' .. ARGV[2])
            return id""";

    /** A stream id, {@code ms-seq}, ordered as Redis orders them. */
    record Position(long ms, long seq) implements Comparable<Position> {
        static final Position ZERO = new Position(0, 0);

        static Position parse(String id) {
            int dash = id.indexOf('-');
            return new Position(Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1)));
        }

        static Position of(StreamMessageId id) {
            return new Position(id.getId0(), id.getId1());
        }

        @Override
        public int compareTo(Position o) {
            return ms != o.ms ? Long.compare(ms, o.ms) : Long.compare(seq, o.seq);
        }

        @Override
        public String toString() {
            return ms + "-" + seq;
        }
    }

    record Entry(Position position, String message) {
    }

    /**
     * What the stream holds after a position: {@code covered} when nothing after it can be missing from
     * {@code entries} (not trimmed away, not lost with a failed-over master); {@code last} is the stream's end.
     */
    record Since(boolean covered, List<Entry> entries, Position last) {
    }

    private final String key;
    private final String channel;

    InvalidationLog(String key, String channel) {
        this.key = key;
        this.channel = channel;
    }

    /** Adds {@code message} to the stream and publishes {@code "<id> <message>"}; completes with the id. */
    CompletionStage<String> publish(RedissonClient client, String message) {
        return client.getScript(StringCodec.INSTANCE).<String>evalAsync(key, RScript.Mode.READ_WRITE,
                ADD_AND_PUBLISH, RScript.ReturnType.VALUE, List.of(key), channel, message, MAX_LENGTH);
    }

    /** The stream's last position ({@link Position#ZERO} when it is empty or absent). */
    CompletionStage<Position> last(RedissonClient client) {
        RStream<String, String> s = client.getStream(key, StringCodec.INSTANCE);
        return s.rangeReversedAsync(1, StreamMessageId.MAX, StreamMessageId.MIN)
                .thenApply(m -> m.isEmpty() ? Position.ZERO : Position.of(m.keySet().iterator().next()));
    }

    /** Everything after {@code after}, oldest first, and whether that is all that was added after it. */
    CompletionStage<Since> since(RedissonClient client, Position after) {
        RStream<String, String> s = client.getStream(key, StringCodec.INSTANCE);
        return s.rangeAsync(StreamMessageId.MIN, StreamMessageId.MAX).thenApply(all -> read(all, after));
    }

    static Since read(Map<StreamMessageId, Map<String, String>> all, Position after) {
        List<Entry> entries = new ArrayList<>();
        Position first = null;
        Position last = Position.ZERO;
        for (Map.Entry<StreamMessageId, Map<String, String>> e : all.entrySet()) {
            Position p = Position.of(e.getKey());
            if (first == null) {
                first = p;
            }
            last = p;
            if (p.compareTo(after) > 0) {
                entries.add(new Entry(p, e.getValue().get("m")));
            }
        }
        // lost: we applied entries the stream no longer has (a replica promoted before it had them, a restart)
        boolean lost = after.compareTo(last) > 0;
        // trimmed: entries right after ours may have been cut (the stream is only ever trimmed past MAX_LENGTH)
        boolean trimmed = first != null && first.compareTo(after) > 0 && all.size() >= MAX_LENGTH;
        return new Since(!lost && !trimmed, entries, last);
    }
}
