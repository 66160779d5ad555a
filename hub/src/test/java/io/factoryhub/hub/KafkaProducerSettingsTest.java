package io.factoryhub.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.factoryhub.hub.config.HubConfig;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/** One set of producer settings: camel-kafka gets the forwarder's guarantees and tuning, by Camel's own option names. */
class KafkaProducerSettingsTest {

    private final HubConfig config = HubConfig.defaults().with("factory.kafka.linger-ms", "7")
            .with("factory.kafka.batch-size", "32768").with("factory.kafka.compression", "zstd")
            .with("factory.kafka.bootstrap-servers", "kafka-1:9092");

    @Test
    void should_give_camel_kafka_the_same_guarantees_and_tuning() {
        Properties camel = HubRuntime.CamelSettings.from(config);
        assertEquals("kafka-1:9092", camel.getProperty("camel.component.kafka.brokers"));
        assertEquals("all", camel.getProperty("camel.component.kafka.requestRequiredAcks"));
        assertEquals("true", camel.getProperty("camel.component.kafka.enableIdempotence"));
        assertEquals("5", camel.getProperty("camel.component.kafka.maxInFlightRequest"));
        assertEquals("7", camel.getProperty("camel.component.kafka.lingerMs"));
        assertEquals("32768", camel.getProperty("camel.component.kafka.producerBatchSize"));
        assertEquals("zstd", camel.getProperty("camel.component.kafka.compressionCodec"));
    }

    @Test
    void should_leave_a_camel_kafka_option_set_in_the_configuration_as_it_is() {
        Properties camel = HubRuntime.CamelSettings.from(config.with("camel.component.kafka.lingerMs", "0"));
        assertEquals("0", camel.getProperty("camel.component.kafka.lingerMs"));
    }

    @Test
    void should_map_only_real_producer_settings_to_real_camel_kafka_options() throws Exception {
        JsonNode options;
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            options = new ObjectMapper().readTree(PluginHelper.getRuntimeCamelCatalog(context).componentJSonSchema("kafka"))
                    .get("componentProperties");
        }
        for (Map.Entry<String, String> mapping : KafkaProducerSettings.CAMEL_KAFKA_OPTIONS.entrySet()) {
            assertTrue(ProducerConfig.configNames().contains(mapping.getKey()), mapping.getKey() + " is no producer setting");
            assertTrue(options.has(mapping.getValue()), mapping.getValue() + " is no camel-kafka component option");
        }
    }
}
