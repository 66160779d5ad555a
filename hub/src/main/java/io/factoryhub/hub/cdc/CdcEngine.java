package io.factoryhub.hub.cdc;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import io.factoryhub.hub.KafkaProducerSettings;
import io.factoryhub.hub.config.HubConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MES change data capture: Debezium's embedded engine with the PostgreSQL connector, writing change events to the
 * factory Kafka ({@code mes.<schema>.<table>}, {@code mes.transaction}).
 *
 * <p>Why the engine directly rather than camel-debezium-postgres: the component hands each event to a Camel
 * exchange one at a time and lets the engine commit offsets when the exchange returns, with no say about when
 * Kafka acknowledged it, and it pins the Debezium version of the Camel release. With the engine's batch
 * {@code ChangeConsumer} offsets are committed only after Kafka acknowledged the whole batch (the documented
 * duplicate bound: the batch in flight), the configuration stays in Debezium's own property names
 * ({@code cdc/debezium.properties}), and no Camel route sits between two Kafka clients.
 *
 * <p>A Kafka outage of any length stops nothing for good: the batch in flight is sent again until Kafka takes it
 * ({@link KafkaChangeWriter}), {@link #state()} is RETRYING meanwhile, and CDC goes on by itself.
 */
public final class CdcEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CdcEngine.class);

    /**
     * Where the engine is: STARTING, RUNNING, RETRYING (Kafka does not take the batch in flight: it is sent again
     * until it does, see {@link #kafkaOutage()}), FAILED (with a message), STOPPED.
     */
    public enum State { STARTING, RUNNING, RETRYING, FAILED, STOPPED }

    /**
     * After this long without Kafka's acknowledgement the writer reports an outage in {@code /health} and goes on
     * waiting: the producer retries, in order, without a delivery timeout. A producer that gives a record up after a
     * timeout may still write the later ones, and a later change would reach Kafka before an earlier one when the
     * batch is sent again (seen in the store-and-forward buffer with a 3 s timeout).
     */
    static final int STALL_REPORT_MS = 30_000;
    /** Also how long creating a topic may take before the attempt counts as failed. */
    private static final int REQUEST_TIMEOUT_MS = 15_000;
    /** A new producer's first send waits this long for metadata when Kafka is away. */
    private static final int MAX_BLOCK_MS = 10_000;

    private final CdcSettings settings;
    private final String bootstrapServers;
    private final Map<String, Object> producerTuning;
    private final AtomicReference<State> state = new AtomicReference<>(State.STOPPED);
    private final AtomicReference<String> failure = new AtomicReference<>();
    private DebeziumEngine<ChangeEvent<String, String>> engine;
    private ExecutorService executor;
    private Admin admin;
    private KafkaChangeWriter writer;

    /**
     * @param producerTuning extra producer settings (linger, batch size, compression); acks=all and idempotence are fixed
     */
    public CdcEngine(CdcSettings settings, String bootstrapServers, Map<String, Object> producerTuning) {
        this.settings = settings;
        this.bootstrapServers = bootstrapServers;
        this.producerTuning = Map.copyOf(producerTuning);
    }

    /**
     * CDC as the hub's configuration describes it, started. Never throws: a bad configuration leaves CDC off with
     * {@link #failure()} saying why, and the rest of the hub runs.
     */
    public static CdcEngine start(HubConfig config) {
        String bootstrapServers = config.get("factory.kafka.bootstrap-servers");
        Map<String, Object> tuning = KafkaProducerSettings.tuning(config);
        CdcSettings settings;
        try {
            settings = CdcSettings.from(config);
        } catch (RuntimeException e) {
            CdcEngine off = new CdcEngine(null, bootstrapServers, tuning);
            off.fail("MES CDC is off: " + e.getMessage(), null);
            return off;
        }
        return new CdcEngine(settings, bootstrapServers, tuning).start();
    }

    /**
     * Checks the database, then starts streaming in the background. A misconfiguration does not throw: CDC stays
     * off, {@link #failure()} says what to change, and the rest of the hub keeps running.
     */
    public synchronized CdcEngine start() {
        state.set(State.STARTING);
        try {
            new CdcPreflight(settings).check();
        } catch (CdcConfigurationException e) {
            fail(e.getMessage(), null);
            return this;
        }
        try {
            Files.createDirectories(settings.offsetsFile().getParent());
        } catch (IOException e) {
            fail("Cannot create " + settings.offsetsFile().getParent() + ": " + e.getMessage(), e);
            return this;
        }
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS));
        writer = new KafkaChangeWriter(() -> new KafkaProducer<>(producerConfig(), new StringSerializer(), new StringSerializer()),
                admin, settings.topicReplication(), this::writeFailed);
        engine = DebeziumEngine.create(Json.class)
                .using(settings.debezium())
                .notifying(writer)
                .using(new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void taskStarted() {
                        state.compareAndSet(State.STARTING, State.RUNNING);
                        LOG.info("MES CDC streaming from {}:{}/{} slot={} into {}.* on {}", settings.host(), settings.port(),
                                settings.database(), settings.slotName(), settings.topicPrefix(), bootstrapServers);
                    }
                })
                .using((success, message, error) -> {
                    if (!success && state.get() != State.STOPPED) {
                        fail("MES CDC stopped: " + message + (error == null ? "" : " (" + rootMessage(error) + ")"), error);
                    }
                })
                .build();
        executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "mes-cdc"));
        executor.execute(engine);
        return this;
    }

    public State state() {
        State current = state.get();
        return current == State.RUNNING && kafkaOutage().isPresent() ? State.RETRYING : current;
    }

    /** Why the batch in flight is being sent again, while Kafka does not take it. */
    public Optional<KafkaOutage> kafkaOutage() {
        return writer == null ? Optional.empty() : writer.outage();
    }

    /** Why CDC is not running, when it failed. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** Change events Kafka acknowledged since start. */
    public long written() {
        return writer == null ? 0 : writer.written();
    }

    public CdcSettings settings() {
        return settings;
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> config = new java.util.HashMap<>(producerTuning);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.putAll(KafkaProducerSettings.guarantees());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "factory-hub-mes-cdc");
        return config;
    }

    private void writeFailed(Throwable error) {
        fail("MES CDC stopped: Kafka refused change events for good (" + rootMessage(error) + "); nothing was skipped, "
                + "they are sent again when the hub restarts after the cause is fixed", error);
        // closing from the engine's own thread would wait for itself
        new Thread(this::close, "mes-cdc-stop").start();
    }

    private void fail(String message, Throwable error) {
        failure.set(message);
        state.set(State.FAILED);
        LOG.error(message);
        if (error != null) {
            LOG.debug("MES CDC failure", error);
        }
    }

    static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /** Graceful: the engine finishes its batch and commits offsets, waiting at most the configured stop timeout. */
    @Override
    public synchronized void close() {
        if (engine == null) {
            return;
        }
        if (state.get() != State.FAILED) {
            state.set(State.STOPPED);
        }
        Duration timeout = settings.stopTimeout();
        writer.closing();
        try {
            engine.close();
            executor.shutdown();
            if (!executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("MES CDC did not stop within {} ms; the changes in flight are sent again on restart", timeout.toMillis());
                executor.shutdownNow();
            }
        } catch (IOException e) {
            LOG.warn("Stopping MES CDC: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            writer.close(timeout);
            admin.close(timeout);
            engine = null;
        }
        LOG.info("MES CDC stopped after {} change events", writer.written());
    }
}
