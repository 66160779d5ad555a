package io.factoryhub.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.factoryhub.hub.config.HubConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract's topics as the configuration names and sizes them. */
class FactoryTopicsTest {

    @Test
    void should_size_the_deadletter_topic_by_the_configured_record_limit() {
        HubConfig config = HubConfig.defaults().with("factory.deadletter.max-record-bytes", "2097152")
                .with("factory.topic.deadletter", "site.deadletter").with("factory.topic.partitions", "4");
        Map<String, FactoryTopics.Topic> topics = FactoryTopics.contract(config);
        assertEquals(new FactoryTopics.Topic(1, Map.of("max.message.bytes", "2097152")), topics.get("site.deadletter"));
        assertEquals(FactoryTopics.Topic.of(4), topics.get("factory.machine.telemetry"));
        assertEquals(FactoryTopics.Topic.of(4), topics.get("factory.machine.events"));
        assertEquals(FactoryTopics.Topic.of(4), topics.get("factory.machine.anomalies"));
    }

    @Test
    void should_create_the_anomalies_topic_its_key_names() {
        HubConfig config = HubConfig.defaults().with("factory.topic.anomalies", "site.anomalies");
        assertEquals(FactoryTopics.Topic.of(6), FactoryTopics.contract(config).get("site.anomalies"));
    }

    @Test
    void should_take_16_mib_dead_letters_by_default() {
        assertEquals(Map.of("max.message.bytes", Integer.toString(16 * 1024 * 1024)),
                FactoryTopics.contract(HubConfig.defaults()).get("factory.deadletter").configs());
    }
}
