package io.factoryhub.app.support;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * How a topic on a Kafka is replicated, as its broker describes it: replicas per partition (all partitions alike) and
 * the topic's own {@code min.insync.replicas}, null when the topic has none and the broker's default applies.
 */
public record TopicReplicas(int replicationFactor, String minInsyncReplicas) {

    public static TopicReplicas of(String bootstrapServers, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(topic);
            int replicas = description.partitions().get(0).replicas().size();
            if (description.partitions().stream().anyMatch(p -> p.replicas().size() != replicas)) {
                throw new AssertionError("partitions of " + topic + " have different replica counts: " + description);
            }
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
            ConfigEntry entry = config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
            boolean own = entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG;
            return new TopicReplicas(replicas, own ? entry.value() : null);
        }
    }
}
