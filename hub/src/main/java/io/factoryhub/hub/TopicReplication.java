package io.factoryhub.hub;

import io.factoryhub.hub.config.HubConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * How the topics the hub creates are replicated ({@code factory.topic.replication-factor},
 * {@code factory.topic.min-insync-replicas}). {@code auto}: three replicas, or as many as the cluster has brokers, and
 * two in sync (one on a single broker), so an acknowledged write (acks=all) survives the loss of a broker and a
 * producer still writes while one is down. A configured value the cluster cannot meet is refused, naming the key:
 * Kafka would refuse the topic (or, for min.insync.replicas, every write) anyway, with a message that names neither.
 */
public record TopicReplication(String replicationFactor, String minInsyncReplicas) {

    public static final String REPLICATION_FACTOR_KEY = "factory.topic.replication-factor";
    public static final String MIN_INSYNC_REPLICAS_KEY = "factory.topic.min-insync-replicas";
    static final String AUTO = "auto";
    private static final int AUTO_REPLICAS = 3;
    private static final int AUTO_IN_SYNC = 2;

    public TopicReplication {
        check(REPLICATION_FACTOR_KEY, replicationFactor);
        check(MIN_INSYNC_REPLICAS_KEY, minInsyncReplicas);
    }

    public static TopicReplication from(HubConfig config) {
        return new TopicReplication(config.get(REPLICATION_FACTOR_KEY), config.get(MIN_INSYNC_REPLICAS_KEY));
    }

    /** Replication factor on a cluster of {@code brokers}. */
    public short replicationFactorFor(int brokers) {
        if (isAuto(replicationFactor)) {
            return (short) Math.max(1, Math.min(AUTO_REPLICAS, brokers));
        }
        int configured = Integer.parseInt(replicationFactor.trim());
        if (configured > brokers) {
            throw new IllegalArgumentException(REPLICATION_FACTOR_KEY + "=" + configured + " but the Kafka cluster has "
                    + brokers + " broker(s): set it to at most " + brokers + " or to " + AUTO);
        }
        return (short) configured;
    }

    /** {@code min.insync.replicas} of a topic on a cluster of {@code brokers}: never more than its replicas. */
    public int minInsyncReplicasFor(int brokers) {
        short replicas = replicationFactorFor(brokers);
        if (isAuto(minInsyncReplicas)) {
            return Math.min(AUTO_IN_SYNC, replicas);
        }
        int configured = Integer.parseInt(minInsyncReplicas.trim());
        if (configured > replicas) {
            throw new IllegalArgumentException(MIN_INSYNC_REPLICAS_KEY + "=" + configured + " but topics get " + replicas
                    + " replica(s) on this cluster of " + brokers + " broker(s), so no write with acks=all could succeed: "
                    + "set it to at most " + replicas + " or to " + AUTO);
        }
        return configured;
    }

    /** A topic to create on a cluster of {@code brokers}, with these topic configs besides min.insync.replicas. */
    public NewTopic newTopic(String name, int partitions, int brokers, Map<String, String> configs) {
        Map<String, String> all = new HashMap<>(configs);
        all.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicasFor(brokers)));
        return new NewTopic(name, partitions, replicationFactorFor(brokers)).configs(all);
    }

    /** The brokers of the cluster {@code admin} talks to, right now (within the admin's default.api.timeout.ms). */
    public static int brokers(Admin admin) throws InterruptedException, ExecutionException {
        return admin.describeCluster().nodes().get().size();
    }

    private static boolean isAuto(String value) {
        return AUTO.equalsIgnoreCase(value.trim());
    }

    private static void check(String key, String value) {
        if (value == null || !(isAuto(value) || value.trim().matches("[1-9][0-9]{0,3}"))) {
            throw new IllegalArgumentException(key + " must be " + AUTO + " or a whole number of at least 1, got '" + value + "'");
        }
    }
}
