package io.spaghetti.sdk.core.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What waits for Redis keeps its order, and a full outbox turns into whole-cache invalidations. */
class InvalidationOutboxTest {
    private static InvalidationOutbox.Pending pending(String key) {
        return new InvalidationOutbox.Pending(null, key, "message " + key);
    }

    @Test
    void onceOneWaitsTheNextOnesWaitBehindItInOrder() {
        InvalidationOutbox outbox = new InvalidationOutbox();
        assertThat(outbox.queueIfWaiting(pending("a"))).as("nothing waits: send it").isFalse();
        outbox.add(pending("a"));
        assertThat(outbox.queueIfWaiting(pending("b"))).isTrue();
        InvalidationOutbox.Pending first = outbox.peek();
        assertThat(first.key()).isEqualTo("a");
        outbox.sent(first);
        assertThat(outbox.peek().key()).isEqualTo("b");
        outbox.sent(outbox.peek());
        assertThat(outbox.peek()).isNull();
        assertThat(outbox.queueIfWaiting(pending("c"))).isFalse();
    }

    @Test
    void pastItsCapacityTheOldestAreDroppedAndTheirCacheInvalidatedWhole() {
        InvalidationOutbox outbox = new InvalidationOutbox();
        for (int i = 0; i < InvalidationOutbox.CAPACITY + 3; i++) {
            outbox.add(pending("k" + i));
        }
        assertThat(outbox.overflows()).isEqualTo(3);
        assertThat(outbox.peek().key()).isEqualTo("k3");
        assertThat(outbox.takeOverflowed()).hasSize(1);   // the (one, here null) cache of the dropped ones
        assertThat(outbox.takeOverflowed()).isEmpty();
    }
}
