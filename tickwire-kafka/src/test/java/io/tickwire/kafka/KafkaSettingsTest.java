package io.tickwire.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

    @Test
    void clientPropertiesReachEveryClientButNotTheOnesTheClusterRestsOn() {
        KafkaSettings settings = settings(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512"));
        Properties producer = new Properties();
        producer.put("acks", "all");
        assertThat(settings.withClientProperties(producer)).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512").containsEntry("acks", "all");

        assertThatThrownBy(() -> settings(Map.of("acks", "1"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cluster.clientProperties may not set 'acks'");
        assertThatThrownBy(() -> settings(Map.of("group.id", "mine"))).hasMessageContaining("'group.id'");
    }

    private static KafkaSettings settings(Map<String, String> clientProperties) {
        return new KafkaSettings("127.0.0.1:9092", "t", 1, (short) 1, Duration.ofHours(1), Duration.ofMinutes(1), 1 << 16,
                clientProperties);
    }
}
