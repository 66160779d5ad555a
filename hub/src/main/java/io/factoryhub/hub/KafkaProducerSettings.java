package io.factoryhub.hub;

import io.factoryhub.hub.config.HubConfig;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/** The factory Kafka's producer settings from {@code factory.kafka.*}: where to connect and how to batch. */
public final class KafkaProducerSettings {

    private KafkaProducerSettings() {
    }

    public static Map<String, Object> tuning(HubConfig config) {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get("factory.kafka.bootstrap-servers"),
                ProducerConfig.LINGER_MS_CONFIG, config.get("factory.kafka.linger-ms"),
                ProducerConfig.BATCH_SIZE_CONFIG, config.get("factory.kafka.batch-size"),
                ProducerConfig.COMPRESSION_TYPE_CONFIG, config.get("factory.kafka.compression"));
    }
}
