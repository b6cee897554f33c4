package io.spaghetti.sdk.signalr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.core.config.SdkConfigException;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SignalRConfigTest {
    private static SdkConfig load(String yaml) {
        return SdkConfig.loader().yaml("t", yaml).environment(Map.of()).systemProperties(new Properties()).load();
    }

    @Test
    void defaultsAreASPNetCoresAndValid() {
        SignalRConfig c = load("service:\n  name: s\n").section(SignalRConfig.SECTION);
        assertThat(c.maxMessageSize()).isEqualTo(32768);
        assertThat(c.keepAliveInterval()).hasSeconds(15);
        assertThat(c.clientTimeout()).hasSeconds(30);
        assertThat(c.statefulReconnectBuffer()).isEqualTo(100000);
    }

    @Test
    void everyBadValueIsReportedWithItsFix() {
        assertThatThrownBy(() -> load("signalr:\n  clientTimeout: 10s\n  maxMessageSize: 10\n  port: 70000\n")
                .section(SignalRConfig.SECTION))
                .isInstanceOf(SdkConfigException.class)
                .hasMessageContaining("signalr.clientTimeout").hasMessageContaining("longer than keepAliveInterval")
                .hasMessageContaining("signalr.maxMessageSize").hasMessageContaining("signalr.port");
    }
}
