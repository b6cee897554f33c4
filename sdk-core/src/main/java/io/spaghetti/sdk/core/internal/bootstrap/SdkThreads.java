package io.spaghetti.sdk.core.internal.bootstrap;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Daemon threads named {@code spaghetti-sdk-<purpose>-N}, so leaks are easy to spot. */
public final class SdkThreads implements ThreadFactory {
    public static final String PREFIX = "spaghetti-sdk-";

    private final String prefix;
    private final AtomicInteger counter = new AtomicInteger();

    public SdkThreads(String purpose) {
        this.prefix = PREFIX + purpose + "-";
    }

    @Override
    public Thread newThread(Runnable r) {
        Thread t = new Thread(r, prefix + counter.incrementAndGet());
        t.setDaemon(true);
        return t;
    }
}
