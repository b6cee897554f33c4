package io.spaghetti.sdk.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spaghetti.sdk.core.config.ServiceConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthTest {
    @Test
    void detailsKeepTheOrderGiven() {
        List<String> keys = List.of("zeta", "alpha", "mode", "beta", "nodes", "cluster", "a", "z", "m", "q", "b");
        Object[] pairs = new Object[keys.size() * 2];
        for (int i = 0; i < keys.size(); i++) {
            pairs[2 * i] = keys.get(i);
            pairs[2 * i + 1] = i;
        }
        Health h = Health.up(Health.details(pairs)).withDetails(Health.details("last", true));
        List<String> expected = new java.util.ArrayList<>(keys);
        expected.add("last");
        assertThat(h.details().keySet()).containsExactlyElementsOf(expected);
        assertThatThrownBy(() -> Health.details("odd")).hasMessageContaining("odd number");
    }

    @Test
    void theDefaultInstanceIsUniquePerProcess() {
        ServiceConfig c = new ServiceConfig("svc", null, "dev");
        assertThat(c.instance()).endsWith("-" + ProcessHandle.current().pid());
        assertThat(new ServiceConfig("svc", "pod-7", "dev").instance()).isEqualTo("pod-7");
    }

    record Event(String id, java.time.Instant at, java.time.Duration took) {
    }

    @Test
    void theCacheCodecHandlesJavaTimeOnItsOwn() {
        var codec = io.spaghetti.sdk.core.cache.ValueCodec.json(Event.class);
        Event e = new Event("e1", java.time.Instant.parse("2026-12-01T10:00:00Z"), java.time.Duration.ofSeconds(3));
        byte[] bytes = codec.encode(e);
        assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).contains("\"2026-12-01T10:00:00Z\"");
        assertThat(codec.decode(bytes)).isEqualTo(e);
    }
}
