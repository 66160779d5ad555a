package io.factoryhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.factoryhub.app.support.HubUnderTest;
import io.factoryhub.app.support.TestPlant;
import io.factoryhub.app.support.TopicReplicas;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The topics the hub creates are replicated for the cluster it writes to: here the single-broker test Kafka. */
class HubTopicsTest {

    @Test
    void should_create_its_topics_with_as_many_replicas_as_brokers_and_min_insync_replicas_to_match() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> topics = Map.of("factory.topic.telemetry", "replication.telemetry." + suffix,
                "factory.topic.events", "replication.events." + suffix, "factory.topic.deadletter", "replication.deadletter." + suffix);
        try (HubUnderTest hub = new HubUnderTest(TestPlant.shared(), topics).start()) {
            for (String topic : topics.values()) {
                TopicReplicas replicas = TopicReplicas.of(TestPlant.shared().bootstrapServers(), topic);
                System.out.println(topic + ": " + replicas);
                assertEquals(new TopicReplicas(1, "1"), replicas, topic);
            }
        }
    }

    @Test
    void should_refuse_to_start_with_more_replicas_than_brokers_naming_the_key() {
        HubUnderTest hub = new HubUnderTest(TestPlant.shared(), Map.of("factory.topic.replication-factor", "3",
                "factory.topic.telemetry", "replication.refused." + UUID.randomUUID()));
        try (hub) {
            String message = assertThrows(IllegalArgumentException.class, hub::start).getMessage();
            assertTrue(message.contains("factory.topic.replication-factor=3") && message.contains("1 broker(s)"), message);
        }
    }
}
