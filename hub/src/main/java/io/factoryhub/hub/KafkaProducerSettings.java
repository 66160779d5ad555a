package io.factoryhub.hub;

import io.factoryhub.hub.config.HubConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The factory Kafka's producer settings, written once for every producer of the hub: the store-and-forward forwarder,
 * CDC, replay, and camel-kafka (routes that write to Kafka directly) by {@link #camelKafkaOptions}.
 */
public final class KafkaProducerSettings {

    /** camel-kafka's component option for each producer setting here; checked against Camel's catalog by a test. */
    static final Map<String, String> CAMEL_KAFKA_OPTIONS = Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "brokers",
            ProducerConfig.ACKS_CONFIG, "requestRequiredAcks",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "enableIdempotence",
            ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "maxInFlightRequest",
            ProducerConfig.LINGER_MS_CONFIG, "lingerMs",
            ProducerConfig.BATCH_SIZE_CONFIG, "producerBatchSize",
            ProducerConfig.COMPRESSION_TYPE_CONFIG, "compressionCodec");

    private KafkaProducerSettings() {
    }

    /**
     * What no configuration changes: acks from all in-sync replicas and idempotence, so nothing acknowledged is lost
     * and the producer's own retries neither duplicate nor reorder (at most 5 requests in flight keeps the order).
     */
    public static Map<String, Object> guarantees() {
        return Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    }

    /** Where to connect and how to batch, from {@code factory.kafka.*}. */
    public static Map<String, Object> tuning(HubConfig config) {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get("factory.kafka.bootstrap-servers"),
                ProducerConfig.LINGER_MS_CONFIG, config.get("factory.kafka.linger-ms"),
                ProducerConfig.BATCH_SIZE_CONFIG, config.get("factory.kafka.batch-size"),
                ProducerConfig.COMPRESSION_TYPE_CONFIG, config.get("factory.kafka.compression"));
    }

    /** {@link #tuning} with the {@link #guarantees}: a producer of the factory Kafka. */
    public static Map<String, Object> producer(HubConfig config) {
        Map<String, Object> producer = new HashMap<>(tuning(config));
        producer.putAll(guarantees());
        return producer;
    }

    /** {@link #producer} as camel-kafka's component options, {@code camel.component.kafka.<option>}. */
    public static Map<String, String> camelKafkaOptions(HubConfig config) {
        Map<String, String> options = new TreeMap<>();
        producer(config).forEach((setting, value) -> {
            String option = CAMEL_KAFKA_OPTIONS.get(setting);
            if (option == null) {
                throw new IllegalStateException("no camel-kafka option for producer setting " + setting);
            }
            options.put("camel.component.kafka." + option, String.valueOf(value));
        });
        return options;
    }
}
