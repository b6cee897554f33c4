package io.spaghetti.sdk.core.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.redisson.api.StreamMessageId;

/** When the invalidation log can stand in for missed messages, and when only a full L1 clear is safe. */
class InvalidationLogTest {
    private static Map<StreamMessageId, Map<String, String>> stream(long first, long last) {
        Map<StreamMessageId, Map<String, String>> m = new LinkedHashMap<>();
        for (long i = first; i <= last; i++) {
            m.put(new StreamMessageId(1000, i), Map.of("m", "message " + i));
        }
        return m;
    }

    private static InvalidationLog.Position at(long seq) {
        return new InvalidationLog.Position(1000, seq);
    }

    @Test
    void whatCameAfterThePositionIsReadBackInOrder() {
        InvalidationLog.Since s = InvalidationLog.read(stream(1, 5), at(3));
        assertThat(s.covered()).isTrue();
        assertThat(s.entries()).extracting(InvalidationLog.Entry::message).containsExactly("message 4", "message 5");
        assertThat(s.last()).isEqualTo(at(5));
    }

    @Test
    void aStreamThatNeverReachedItsLengthLimitWasNeverTrimmed() {
        assertThat(InvalidationLog.read(stream(4, 6), at(1)).covered()).isTrue();
        assertThat(InvalidationLog.read(Map.of(), InvalidationLog.Position.ZERO).covered()).isTrue();
    }

    @Test
    void aTrimmedStreamOrOneThatLostWhatWasAppliedCannotCover() {
        // trimmed: at its length limit and starting after our position
        assertThat(InvalidationLog.read(stream(100, 99 + InvalidationLog.MAX_LENGTH), at(50)).covered()).isFalse();
        // lost: a promoted replica (or a restarted Redis) lacks entries this instance already applied
        assertThat(InvalidationLog.read(stream(1, 5), at(9)).covered()).isFalse();
        assertThat(InvalidationLog.read(Map.of(), at(9)).covered()).isFalse();
    }

    @Test
    void positionsOrderAsRedisOrdersStreamIds() {
        assertThat(InvalidationLog.Position.parse("1700000000000-3"))
                .isGreaterThan(InvalidationLog.Position.parse("1700000000000-2"))
                .isLessThan(InvalidationLog.Position.parse("1700000000001-0"));
        assertThat(InvalidationLog.Position.parse("5-7")).hasToString("5-7");
    }
}
