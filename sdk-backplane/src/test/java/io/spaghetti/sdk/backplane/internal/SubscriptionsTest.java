package io.spaghetti.sdk.backplane.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SubscriptionsTest {

    @Test
    void aFanOutSeesEveryChangeMadeBeforeIt() {
        Subscriptions<String> s = Subscriptions.membersOnly();
        s.add("g", "a").join();
        s.add("g", "b").join();
        assertThat(s.members("g")).containsExactlyInAnyOrder("a", "b");
        s.remove("g", "a");
        assertThat(s.members("g")).containsExactly("b");
        s.add("g", "c").join();
        assertThat(s.members("g")).containsExactlyInAnyOrder("b", "c");
        s.remove("g", "b");
        s.remove("g", "c");
        assertThat(s.members("g")).isEmpty();
        assertThat(s.members("never")).isEmpty();
    }

    @Test
    void concurrentJoinsAreNeverLeftOutOfTheSnapshot() throws Exception {
        Subscriptions<Integer> s = Subscriptions.membersOnly();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> tasks = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int offset = t * 10_000;
            tasks.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < 10_000; i++) {
                    s.add("g", offset + i);
                }
                return null;
            }));
        }
        for (int t = 0; t < 2; t++) {
            tasks.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < 2_000; i++) {
                    s.members("g"); // readers rebuild snapshots while members join
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : tasks) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(s.members("g")).hasSize(20_000);
    }
}
