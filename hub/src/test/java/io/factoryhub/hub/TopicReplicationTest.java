package io.factoryhub.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicReplicationTest {

    private static final TopicReplication AUTO = new TopicReplication("auto", "auto");

    @Test
    void should_replicate_three_times_with_two_in_sync_on_auto_or_as_far_as_the_brokers_go() {
        int[][] expected = {{1, 1, 1}, {2, 2, 2}, {3, 3, 2}, {5, 3, 2}};
        for (int[] row : expected) {
            assertEquals(row[1], AUTO.replicationFactorFor(row[0]), "replicas on " + row[0] + " broker(s)");
            assertEquals(row[2], AUTO.minInsyncReplicasFor(row[0]), "in sync on " + row[0] + " broker(s)");
        }
    }

    @Test
    void should_take_configured_values_the_cluster_can_meet() {
        TopicReplication configured = new TopicReplication("2", "1");
        assertEquals(2, configured.replicationFactorFor(3));
        assertEquals(1, configured.minInsyncReplicasFor(3));
        assertEquals(2, new TopicReplication("AUTO", " 2 ").minInsyncReplicasFor(4));
    }

    @Test
    void should_refuse_a_replication_factor_larger_than_the_cluster_naming_the_key() {
        String message = assertThrows(IllegalArgumentException.class,
                () -> new TopicReplication("3", "auto").replicationFactorFor(1)).getMessage();
        assertTrue(message.contains("factory.topic.replication-factor=3") && message.contains("1 broker(s)")
                && message.contains("at most 1"), message);
    }

    @Test
    void should_refuse_more_in_sync_replicas_than_replicas_naming_the_key() {
        String message = assertThrows(IllegalArgumentException.class,
                () -> new TopicReplication("auto", "2").minInsyncReplicasFor(1)).getMessage();
        assertTrue(message.contains("factory.topic.min-insync-replicas=2") && message.contains("at most 1"), message);
    }

    @Test
    void should_refuse_what_is_neither_auto_nor_a_positive_number() {
        for (String bad : new String[] {"three", "0", "-1", ""}) {
            String message = assertThrows(IllegalArgumentException.class, () -> new TopicReplication(bad, "auto")).getMessage();
            assertTrue(message.contains("factory.topic.replication-factor must be auto or a whole number"), message);
        }
        assertThrows(IllegalArgumentException.class, () -> new TopicReplication("auto", "none"));
    }

    @Test
    void should_put_replicas_and_min_insync_replicas_on_the_new_topic_next_to_its_own_configs() {
        NewTopic topic = AUTO.newTopic("factory.deadletter", 1, 4, Map.of("max.message.bytes", "16777216"));
        assertEquals(3, topic.replicationFactor());
        assertEquals(Map.of("max.message.bytes", "16777216", "min.insync.replicas", "2"), topic.configs());
    }
}
