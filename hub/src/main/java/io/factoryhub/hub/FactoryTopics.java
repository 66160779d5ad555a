package io.factoryhub.hub;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Creates the contract's topics with their documented partition counts before any route writes to them,
 * so the broker's auto-create (one partition) never decides.
 */
public final class FactoryTopics {

    /**
     * Dead letters may be as large as the biggest payload the connectors accept (1 MiB by default, configurable)
     * plus headers, above Kafka's 1 MB default record limit: the dead-letter topic takes records up to this size.
     */
    public static final int DEADLETTER_MAX_BYTES = 16 * 1024 * 1024;

    /** Topic name to partition count. Deadletter has one partition: failures stay in arrival order. */
    public static Map<String, Integer> contract(String telemetryTopic, String eventsTopic, String deadletterTopic, int partitions) {
        return Map.of(
                telemetryTopic, partitions,
                eventsTopic, partitions,
                "factory.machine.anomalies", partitions,
                deadletterTopic, 1);
    }

    private FactoryTopics() {
    }

    /** Creates the missing ones, replicated as {@code replication} says; existing topics are left as they are. */
    public static void ensure(String bootstrapServers, Map<String, Integer> topics, TopicReplication replication) {
        ensure(bootstrapServers, topics, replication, 30_000);
    }

    /** The same, giving up after about {@code timeoutMs} when Kafka does not answer. */
    public static void ensure(String bootstrapServers, Map<String, Integer> topics, TopicReplication replication, int timeoutMs) {
        Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 30_000),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs));
        try {
            Set<String> existing = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
            int brokers = TopicReplication.brokers(admin);
            List<NewTopic> missing = new ArrayList<>();
            topics.forEach((name, partitions) -> {
                if (!existing.contains(name)) {
                    missing.add(replication.newTopic(name, partitions, brokers, partitions == 1
                            ? Map.of("max.message.bytes", Integer.toString(DEADLETTER_MAX_BYTES)) : Map.of()));
                }
            });
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(timeoutMs, TimeUnit.MILLISECONDS);
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
     * Returns once every partition of {@code topics} has a leader (at most 30 s). Why: an idempotent producer that
     * writes into a topic whose leader is still being elected gets NOT_LEADER, and under load its retried first batch
     * then failed with OutOfOrderSequenceException, for ever (seen for CDC and in the lake tests).
     */
    public static void awaitLeaders(Admin admin, Collection<String> topics) throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                boolean led = admin.describeTopics(topics).allTopicNames().get().values().stream()
                        .flatMap(description -> description.partitions().stream())
                        .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
                if (led) {
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
}
