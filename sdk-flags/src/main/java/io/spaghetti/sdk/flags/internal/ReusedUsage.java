package io.spaghetti.sdk.flags.internal;

import io.getunleash.engine.FeatureCount;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Evaluations answered from {@link ReusedAnswers} rather than by the client's engine, which counts only what it
 * evaluates: added to the engine's bucket before it is sent, so the server's usage counts stay exact.
 */
final class ReusedUsage {
    private final Map<String, Counts> flags = new ConcurrentHashMap<>();

    void count(String flag, boolean enabled) {
        Counts c = counts(flag);
        (enabled ? c.yes : c.no).increment();
    }

    void countVariant(String flag, boolean enabled, String variant) {
        Counts c = counts(flag);
        (enabled ? c.yes : c.no).increment();
        c.variants.computeIfAbsent(variant, v -> new LongAdder()).increment();
    }

    private Counts counts(String flag) {
        Counts c = flags.get(flag);
        return c != null ? c : flags.computeIfAbsent(flag, f -> new Counts());
    }

    boolean isEmpty() {
        return flags.values().stream().allMatch(Counts::isEmpty);
    }

    /**
     * Moves the counts so far into {@code toggles} (the engine's bucket). Exact under concurrent counting: what is
     * taken is subtracted, so an increment racing with this call stays for the next bucket.
     */
    void drainInto(Map<String, FeatureCount> toggles) {
        flags.forEach((flag, c) -> {
            long yes = take(c.yes);
            long no = take(c.no);
            Map<String, Long> variants = new HashMap<>();
            c.variants.forEach((name, n) -> {
                long taken = take(n);
                if (taken > 0) {
                    variants.put(name, taken);
                }
            });
            if (yes == 0 && no == 0 && variants.isEmpty()) {
                return;
            }
            FeatureCount engine = toggles.get(flag);
            if (engine != null) {
                yes += engine.getYes();
                no += engine.getNo();
                engine.getVariants().forEach((name, n) -> variants.merge(name, n, Long::sum));
            }
            toggles.put(flag, new FeatureCount(yes, no, variants));
        });
    }

    private static long take(LongAdder adder) {
        long n = adder.sum();
        if (n != 0) {
            adder.add(-n);
        }
        return n;
    }

    private static final class Counts {
        final LongAdder yes = new LongAdder();
        final LongAdder no = new LongAdder();
        final Map<String, LongAdder> variants = new ConcurrentHashMap<>();

        boolean isEmpty() {
            return yes.sum() == 0 && no.sum() == 0 && variants.values().stream().allMatch(v -> v.sum() == 0);
        }
    }
}
