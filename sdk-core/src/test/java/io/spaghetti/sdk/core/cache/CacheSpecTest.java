package io.spaghetti.sdk.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.spaghetti.sdk.core.config.SdkConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CacheSpecTest {
    private final CacheSpec base = SdkConfig.defaults().section(CacheConfig.SECTION).defaults().toBuilder()
            .l1Ttl(Duration.ofMinutes(5)).l2Ttl(Duration.ofHours(1)).build();

    @Test
    void aTtlBoundsBothTiersAndKeepsAShorterL1() {
        CacheSpec shortLived = base.withTtl(Duration.ofMinutes(1));
        assertThat(shortLived.l2Ttl()).isEqualTo(Duration.ofMinutes(1));
        assertThat(shortLived.l1Ttl()).isEqualTo(Duration.ofMinutes(1));
        CacheSpec longLived = base.withTtl(Duration.ofDays(1));
        assertThat(longLived.l2Ttl()).isEqualTo(Duration.ofDays(1));
        assertThat(longLived.l1Ttl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(longLived.l1MaxSize()).isEqualTo(base.l1MaxSize());
    }
}
