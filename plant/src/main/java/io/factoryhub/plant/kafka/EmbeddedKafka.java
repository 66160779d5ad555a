package io.factoryhub.plant.kafka;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka (KRaft, combined broker + controller) running inside this JVM.
 *
 * <p>The log directory is formatted only on the first start, so a restart on the same directory
 * resumes with the same cluster id and all previously written records.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final Path logDir;
    private final int port;
    private final int controllerPort;
    private final int nodeId;
    private final Map<String, String> extraProps;
    private final List<String> scramArguments;
    private volatile KafkaRaftServer server;

    /**
     * @param logDir         data directory (kept between restarts)
     * @param port           client listener port on 127.0.0.1
     * @param controllerPort KRaft controller listener port on 127.0.0.1
     * @param nodeId         node id; distinct per broker when several clusters share a JVM
     * @param extraProps     broker properties that override the single-node defaults below
     */
    public EmbeddedKafka(Path logDir, int port, int controllerPort, int nodeId, Map<String, String> extraProps) {
        this(logDir, port, controllerPort, nodeId, extraProps, List.of());
    }

    /**
     * @param scramArguments SCRAM credentials written into the metadata log when the directory is formatted, in
     *                       kafka-storage's form {@code SCRAM-SHA-512=[name=admin,password=...]}: a broker that
     *                       authenticates only with SCRAM needs its users before its first request
     */
    public EmbeddedKafka(Path logDir, int port, int controllerPort, int nodeId, Map<String, String> extraProps,
                         List<String> scramArguments) {
        this.logDir = logDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.nodeId = nodeId;
        this.extraProps = Map.copyOf(extraProps);
        this.scramArguments = List.copyOf(scramArguments);
    }

    /** Formats the log directory if needed and starts the broker; blocks until it serves requests. */
    public synchronized void start() throws Exception {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        Files.createDirectories(logDir);
        KafkaConfig config = new KafkaConfig(brokerProperties(), false);
        formatIfNeeded(config);
        KafkaRaftServer candidate = new KafkaRaftServer(config, Time.SYSTEM);
        // Keep the reference before startup(): a half-started broker owns non-daemon threads
        // that would keep the JVM alive, so close() must be able to stop it.
        server = candidate;
        try {
            candidate.startup();
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
        LOG.info("Kafka node {} listening on {} (log dir {})", nodeId, bootstrapServers(), logDir);
    }

    /** The client bootstrap address, e.g. {@code 127.0.0.1:9092}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /**
     * Creates the topics that are missing; existing ones are left as they are (idempotent).
     *
     * @param partitions topic name to partition count; replication factor is always 1
     */
    public void createTopics(Map<String, Integer> partitions) throws Exception {
        Map<String, Object> adminProps = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        try (Admin admin = Admin.create(adminProps)) {
            List<NewTopic> topics = partitions.entrySet().stream()
                    .map(e -> new NewTopic(e.getKey(), e.getValue(), (short) 1))
                    .toList();
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                    LOG.debug("Topic {} already exists", entry.getKey());
                }
            }
        }
    }

    /** Stops the broker and waits until its threads have ended. Safe to call more than once. */
    @Override
    public synchronized void close() {
        KafkaRaftServer running = server;
        server = null;
        if (running == null) {
            return;
        }
        try {
            running.shutdown();
        } catch (RuntimeException e) {
            LOG.warn("Kafka node {} shutdown failed", nodeId, e);
        }
        running.awaitShutdown();
    }

    private Properties brokerProperties() {
        Map<String, String> p = new HashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(nodeId));
        p.put("controller.quorum.voters", nodeId + "@127.0.0.1:" + controllerPort);
        // Both listeners on loopback: the plaintext controller listener authenticates as ANONYMOUS.
        p.put("listeners", BROKER_LISTENER + "://127.0.0.1:" + port + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://127.0.0.1:" + port);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        p.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("log.dirs", logDir.toAbsolutePath().toString());
        // One node: every internal topic can only have one replica.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("min.insync.replicas", "1");
        p.put("default.replication.factor", "1");
        // No other members will join: do not wait 3 s before the first consumer group rebalance.
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "1");
        p.putAll(extraProps);
        Properties props = new Properties();
        props.putAll(p);
        return props;
    }

    private void formatIfNeeded(KafkaConfig config) throws Exception {
        // meta.properties marks a formatted directory; formatting again would change the cluster id.
        if (Files.exists(logDir.resolve("meta.properties"))) {
            LOG.info("Kafka log dir {} already formatted, resuming", logDir);
            return;
        }
        Formatter formatter = new Formatter();
        if (!scramArguments.isEmpty()) {
            formatter.setScramArguments(scramArguments);
        }
        formatter
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(nodeId)
                .setClusterId(Uuid.randomUuid().toString())
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setMetadataLogDirectory(config.metadataLogDir())
                .setDirectories(List.of(logDir.toAbsolutePath().toString()))
                .setIgnoreFormatted(true)
                .run();
    }
}
