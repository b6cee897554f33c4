package io.spaghetti.sdk.flags.internal;

import io.getunleash.engine.MetricsBucket;
import io.getunleash.metric.ClientMetrics;
import io.getunleash.metric.ClientRegistration;
import io.getunleash.metric.MetricSender;
import io.getunleash.util.UnleashConfig;
import java.lang.reflect.Constructor;
import java.time.Instant;

/** The client's metrics sender, with the evaluations the SDK answered itself added to each bucket. */
final class CountingMetricSender implements MetricSender {
    /**
     * The client skips an interval whose bucket is empty, but an interval may hold reused answers only; its
     * metrics constructor is package-private. Null when this client version has no such constructor: then the SDK
     * does not reuse answers while it sends metrics, so the counts stay exact either way.
     */
    private static final Constructor<ClientMetrics> WITH_BUCKET = bucketConstructor();

    private final MetricSender delegate;
    private final UnleashConfig config;
    private final ReusedUsage usage;
    private volatile Instant lastSent = Instant.now();

    CountingMetricSender(MetricSender delegate, UnleashConfig config, ReusedUsage usage) {
        this.delegate = delegate;
        this.config = config;
        this.usage = usage;
    }

    static boolean supported() {
        return WITH_BUCKET != null;
    }

    @Override
    public int registerClient(ClientRegistration registration) {
        return delegate.registerClient(registration);
    }

    @Override
    public int sendMetrics(ClientMetrics metrics) {
        Instant now = Instant.now();
        ClientMetrics toSend = metrics;
        if (metrics.getBucket() == null && !usage.isEmpty()) {
            toSend = withBucket(new MetricsBucket(lastSent, now, new java.util.HashMap<>()));
        }
        if (toSend.getBucket() != null) {
            usage.drainInto(toSend.getBucket().getToggles());
        }
        lastSent = now;
        return delegate.sendMetrics(toSend);
    }

    private ClientMetrics withBucket(MetricsBucket bucket) {
        try {
            return WITH_BUCKET.newInstance(config, bucket);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build the Unleash client's metrics", e);
        }
    }

    private static Constructor<ClientMetrics> bucketConstructor() {
        try {
            Constructor<ClientMetrics> c = ClientMetrics.class.getDeclaredConstructor(UnleashConfig.class,
                    MetricsBucket.class);
            c.setAccessible(true);
            return c;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
