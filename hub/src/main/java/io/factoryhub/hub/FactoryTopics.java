package io.factoryhub.hub;

import io.factoryhub.hub.config.HubConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Creates the contract's topics with their documented partition counts before any route writes to them,
 * so the broker's auto-create (one partition) never decides.
 */
public final class FactoryTopics {

    /** Partitions and topic-level configs of a topic the hub creates when it is missing. */
    public record Topic(int partitions, Map<String, String> configs) {

        public Topic {
            configs = Map.copyOf(configs);
        }

        public static Topic of(int partitions) {
            return new Topic(partitions, Map.of());
        }

        /** Latest value per key (rules, context, twin): Kafka keeps the last record of each key, tombstones delete. */
        public static Topic compacted(int partitions) {
            return new Topic(partitions, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        }

        /**
         * One partition, so failures stay in arrival order; records up to {@code maxRecordBytes}
         * ({@code factory.deadletter.max-record-bytes}), above Kafka's 1 MB default: a dead letter may be as large as
         * the biggest payload the connectors accept plus headers.
         */
        public static Topic deadletter(int maxRecordBytes) {
            return new Topic(1, Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(maxRecordBytes)));
        }
    }

    /** The contract's topics as {@code factory.topic.*} and {@code factory.deadletter.*} name them. */
    public static Map<String, Topic> contract(HubConfig config) {
        Topic shared = Topic.of(config.getInt("factory.topic.partitions"));
        Topic latest = Topic.compacted(config.getInt("factory.topic.partitions"));
        return Map.of(
                config.get("factory.topic.telemetry"), shared,
                config.get("factory.topic.events"), shared,
                config.get("factory.topic.anomalies"), shared,
                config.get("factory.topic.deadletter"), Topic.deadletter(config.getInt("factory.deadletter.max-record-bytes")),
                // one partition: every instance reads all rules anyway (a global store), in the order they were written
                config.get("factory.topic.rules"), Topic.compacted(1),
                config.get("factory.topic.context"), latest,
                config.get("factory.topic.twin"), latest,
                config.get("factory.topic.aggregates"), shared,
                config.get("factory.topic.oee"), shared);
    }

    private FactoryTopics() {
    }

    /** Creates the missing ones, replicated as {@code replication} says; existing topics are left as they are. */
    public static void ensure(String bootstrapServers, Map<String, Topic> topics, TopicReplication replication) {
        ensure(bootstrapServers, topics, replication, 30_000);
    }

    /** The same, giving up after about {@code timeoutMs} when Kafka does not answer. */
    public static void ensure(String bootstrapServers, Map<String, Topic> topics, TopicReplication replication, int timeoutMs) {
        Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 30_000),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs));
        try {
            Set<String> existing = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
            int brokers = TopicReplication.brokers(admin);
            List<NewTopic> missing = new ArrayList<>();
            topics.forEach((name, topic) -> {
                if (!existing.contains(name)) {
                    missing.add(replication.newTopic(name, topic.partitions(), brokers, topic.configs()));
                }
            });
            if (!missing.isEmpty()) {
                for (var created : admin.createTopics(missing).values().values()) {
                    try {
                        created.get(timeoutMs, TimeUnit.MILLISECONDS);
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                            throw e; // one that exists by now was created by someone else meanwhile (seen in a test)
                        }
                    }
                }
                awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
            }
        } catch (IllegalArgumentException e) {
            // a replication setting this cluster cannot meet: the message names the key to change
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot create topics on Kafka at " + bootstrapServers + ": " + e.getCause().getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot reach Kafka at " + bootstrapServers + " to create topics: " + e, e);
        } finally {
            // bounded: Admin.close() waits for ever for calls still pending (a forwarder waited 60 s here once)
            admin.close(java.time.Duration.ofMillis(timeoutMs));
        }
    }

    /**
     * Returns once every partition of {@code topics} has a leader that holds its log (at most 30 s). Why: an
     * idempotent producer that writes into a topic whose leader is still being elected gets NOT_LEADER, and under load
     * its retried first batch then failed with OutOfOrderSequenceException, for ever (seen for CDC and in the lake
     * tests). A leader in the metadata was not enough (seen in CI: the broker answers with the new leader before it
     * made its replica the leader); the log in the leader's log dirs comes with that step.
     */
    public static void awaitLeaders(Admin admin, Collection<String> topics) throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get();
                boolean led = described.values().stream()
                        .flatMap(description -> description.partitions().stream())
                        .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
                if (led && leadersHoldTheirLogs(admin, described)) {
                    return;
                }
            } catch (ExecutionException e) {
                // a topic just created may be unknown to the broker asked for a moment
                if (!(e.getCause() instanceof RetriableException)) {
                    throw e;
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("No leader for every partition of " + topics + " within 30 s");
    }

    /** Whether each partition's leader lists the partition's log; true when the cluster does not say (not authorized). */
    private static boolean leadersHoldTheirLogs(Admin admin, Map<String, TopicDescription> described)
            throws InterruptedException, ExecutionException {
        Map<Integer, Map<String, LogDirDescription>> logDirs;
        try {
            logDirs = admin.describeLogDirs(described.values().stream()
                    .flatMap(description -> description.partitions().stream())
                    .map(partition -> partition.leader().id()).distinct().toList()).allDescriptions().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RetriableException) {
                return false;
            }
            return true; // e.g. no DESCRIBE on the cluster: the leaders in the metadata are what can be known
        }
        return described.values().stream().allMatch(description -> description.partitions().stream().allMatch(partition ->
                logDirs.getOrDefault(partition.leader().id(), Map.of()).values().stream().anyMatch(dir ->
                        dir.replicaInfos().containsKey(new TopicPartition(description.name(), partition.partition())))));
    }
}
