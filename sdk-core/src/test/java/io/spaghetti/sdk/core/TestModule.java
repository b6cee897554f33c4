package io.spaghetti.sdk.core;

import io.spaghetti.sdk.core.config.ConfigSection;
import io.spaghetti.sdk.core.config.ModuleSection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A module whose start fails a given number of times; records the lifecycle in a shared journal. */
class TestModule implements SdkModule {
    record Settings(boolean enabled, boolean required) implements ModuleSection {
    }

    final String name;
    final Set<String> deps;
    final List<String> journal;
    final AtomicInteger failuresLeft;
    final AtomicInteger starts = new AtomicInteger();

    TestModule(String name, Set<String> deps, List<String> journal, int failures) {
        this.name = name;
        this.deps = deps;
        this.journal = journal;
        this.failuresLeft = new AtomicInteger(failures);
    }

    static List<String> journal() {
        return new CopyOnWriteArrayList<>();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<String> dependsOn() {
        return deps;
    }

    @Override
    public ConfigSection<?> configSection() {
        return name.startsWith("sect") ? ConfigSection.of(name, Settings.class) : null;
    }

    @Override
    public void start(ModuleContext context) {
        starts.incrementAndGet();
        if (failuresLeft.getAndDecrement() > 0) {
            throw new IllegalStateException(name + " backend unreachable");
        }
        journal.add("start " + name);
    }

    @Override
    public Health health() {
        return Health.up(java.util.Map.of("starts", starts.get()));
    }

    @Override
    public void close() {
        journal.add("close " + name);
    }
}
