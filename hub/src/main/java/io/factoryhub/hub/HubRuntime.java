package io.factoryhub.hub;

import io.factoryhub.hub.buffer.BufferMetrics;
import io.factoryhub.hub.buffer.BufferSettings;
import io.factoryhub.hub.buffer.FactoryKafkaComponent;
import io.factoryhub.hub.buffer.StoreAndForward;
import io.factoryhub.hub.cdc.CdcEngine;
import io.factoryhub.hub.config.DataDir;
import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.hub.dashboard.Dashboard;
import io.factoryhub.hub.health.CdcCheck;
import io.factoryhub.hub.health.HealthRedaction;
import io.factoryhub.hub.health.LakeCheck;
import io.factoryhub.hub.health.OpcUaSubscriptionsCheck;
import io.factoryhub.hub.health.ConnectorProgress;
import io.factoryhub.hub.health.KafkaForwardingCheck;
import io.factoryhub.hub.health.StalledConnectorsCheck;
import io.factoryhub.hub.health.StoreAndForwardCheck;
import io.factoryhub.hub.health.StreamsCheck;
import io.factoryhub.hub.health.TcpReachabilityCheck;
import io.factoryhub.hub.inference.ModelServer;
import io.factoryhub.hub.inference.ModelServerSettings;
import io.factoryhub.hub.lake.LakeWriter;
import io.factoryhub.hub.mqtt.DurableMqtt5Component;
import io.factoryhub.hub.mirror.MirrorFreshness;
import io.factoryhub.hub.mirror.MirrorRunner;
import io.micrometer.core.instrument.MeterRegistry;
import io.factoryhub.hub.reload.KameletCatalog;
import io.factoryhub.hub.reload.RouteDirectoryWatcher;
import io.factoryhub.hub.reload.RouteFileLoader;
import io.factoryhub.hub.reload.RouteFileValidator;
import io.factoryhub.hub.rules.RulePublisher;
import io.factoryhub.hub.streams.MachineStreams;
import io.factoryhub.hub.streams.twin.MachineTwins;
import io.factoryhub.hub.streams.twin.TwinApi;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub: Camel Main with the factory's defaults, the contract's topics, health checks, and every file of
 * routes/ and connectors/ loaded — and reloaded on change — one file at a time by our own loader.
 */
public final class HubRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HubRuntime.class);

    private final HubConfig config;
    private final Main main = new Main();
    private final ConnectorProgress connectors = new ConnectorProgress();
    private StoreAndForward buffer;
    private RouteFileLoader loader;
    private RouteDirectoryWatcher watcher;
    private CdcEngine cdc;
    private LakeWriter lake;
    private MirrorRunner mirror;
    private MirrorFreshness freshness;
    private ModelServer models;
    private Dashboard dashboard;
    private MachineStreams streams;
    private RulePublisher rules;

    public HubRuntime(HubConfig config) {
        this.config = config;
    }

    public synchronized void start() throws Exception {
        DataDir.secure(config.getPath("factory.data-dir"));
        FactoryTopics.ensure(config.get("factory.kafka.bootstrap-servers"), FactoryTopics.contract(config),
                TopicReplication.from(config));
        main.setInitialProperties(CamelSettings.from(config));
        buffer = openBuffer();
        main.bind("storeAndForward", buffer);
        main.bind(FactoryKafkaComponent.NAME, new FactoryKafkaComponent());
        main.bind("connectorProgress", connectors);
        // every check's result, Camel's own too, passes through it before /health renders it
        main.bind("factory-health-redaction", HealthRedaction.from(config));
        // our consumer in place of Camel's: it keeps durable sessions whole across restarts (see its comment)
        main.bind(DurableMqtt5Component.NAME, new DurableMqtt5Component(config.getInt("factory.mqtt.consumer-lanes"),
                Long.parseLong(config.get("factory.max-payload-bytes"))));
        main.start();
        CamelContext context = main.getCamelContext();
        BufferMetrics.bind(buffer, context.getRegistry().findSingleByType(MeterRegistry.class));
        registerHealthChecks(context);
        if (config.getBoolean("factory.ml.enabled")) {
            models = ModelServer.start(ModelServerSettings.from(config), context);
        }
        loader = new RouteFileLoader(context, validator(context));
        watcher = new RouteDirectoryWatcher(
                List.of(config.getPath("factory.routes-dir"), config.getPath("factory.connectors-dir")),
                config.getPath("factory.kamelets-dir"), loader, config.getInt("factory.reload.interval-ms"));
        watcher.start();
        if (config.getBoolean("factory.cdc.enabled")) {
            cdc = CdcEngine.start(config);
            HealthCheckRegistry.get(context).register(new CdcCheck(cdc));
        }
        if (config.getBoolean("factory.lake.enabled")) {
            startLake(context);
        }
        if (config.getBoolean("factory.mirror.enabled")) {
            mirror = MirrorRunner.start(config);
            freshness = MirrorFreshness.create(config).publish(context.getRegistry().findSingleByType(MeterRegistry.class),
                    config.getInt("factory.mirror.freshness-interval-ms"));
        }
        if (config.getBoolean("factory.streams.enabled")) {
            streams = MachineStreams.start(config);
            streams.bindMetrics(context.getRegistry().findSingleByType(MeterRegistry.class));
            HealthCheckRegistry.get(context).register(new StreamsCheck(streams));
            rules = RulePublisher.start(config);
            TwinApi.serve(context, streams.streams());
        }
        if (config.getBoolean("factory.dashboard.enabled")) {
            dashboard = Dashboard.start(config, context, streams == null ? null : new MachineTwins(streams.streams()));
        }
    }

    /** Rules, machine states, aggregates, OEE and the twin, when {@code factory.streams.enabled}; null otherwise. */
    public MachineStreams streams() {
        return streams;
    }

    /**
     * The store-and-forward buffer every connector writes through ({@code factory-kafka:} endpoints), with what it kept
     * on disk from before: its forwarder sends that first.
     */
    private StoreAndForward openBuffer() throws java.io.IOException {
        String bootstrapServers = config.get("factory.kafka.bootstrap-servers");
        int partitions = config.getInt("factory.topic.partitions");
        TopicReplication replication = TopicReplication.from(config);
        BufferSettings settings = BufferSettings.from(config);
        return StoreAndForward.open(settings, KafkaProducerSettings.tuning(config), topic -> FactoryTopics.ensure(
                bootstrapServers, java.util.Map.of(topic, FactoryTopics.Topic.of(partitions)), replication,
                settings.sendTimeoutMs()));
    }

    /** The store-and-forward buffer between the connectors and the factory Kafka. */
    public StoreAndForward buffer() {
        return buffer;
    }

    /** Like CDC, a lake that cannot start (a malformed s3.* setting) leaves the rest of the hub running, and says why. */
    private void startLake(CamelContext context) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        try {
            lake = LakeWriter.start(config, context);
            registry.register(new LakeCheck(lake));
        } catch (Exception e) {
            String reason = "Data lake is off: " + e.getMessage() + " (check the s3.* and factory.lake.* settings)";
            LOG.error(reason);
            registry.register(LakeCheck.off(reason));
        }
    }

    /** The Kafka -> S3 writer, when {@code factory.lake.enabled} and it started; null otherwise. */
    public LakeWriter lake() {
        return lake;
    }

    /** MirrorMaker2 to the external cluster, when {@code factory.mirror.enabled}; null otherwise. */
    public MirrorRunner mirror() {
        return mirror;
    }

    /** The OIP v2 model server on the hub's HTTP port, when {@code factory.ml.enabled}; null otherwise. */
    public ModelServer models() {
        return models;
    }

    /** MES change data capture, when {@code factory.cdc.enabled}; null otherwise. */
    public CdcEngine cdc() {
        return cdc;
    }

    public RouteFileValidator validator(CamelContext context) {
        return new RouteFileValidator(new KameletCatalog(config.getPath("factory.kamelets-dir")), context);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public RouteFileLoader loader() {
        return loader;
    }

    private void registerHealthChecks(CamelContext context) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        registry.register(new KafkaForwardingCheck(buffer));
        registry.register(new StoreAndForwardCheck(buffer));
        registry.register(new StalledConnectorsCheck(connectors, config.getInt("factory.health.stall-after-ms")));
        registry.register(TcpReachabilityCheck.forUrl("mqtt-broker", config.get("factory.mqtt.broker-url"), 1883));
        registry.register(new OpcUaSubscriptionsCheck());
    }

    /**
     * Graceful: stops the dashboard (its pages reconnect to the next start), CDC (its batch in flight acknowledged,
     * offsets committed), the lake writer (what it buffered stored and committed, through Camel's S3 producer, so
     * before Camel), the watcher, then Camel, which drains in-flight exchanges before acknowledging them; last
     * MirrorMaker2, so what the hub wrote while draining still has its chance to be mirrored (anything not yet copied
     * is copied on the next start).
     */
    @Override
    public synchronized void close() {
        if (dashboard != null) {
            dashboard.close();
            dashboard = null;
        }
        if (rules != null) {
            rules.close();
            rules = null;
        }
        if (streams != null) {
            streams.close();
            streams = null;
        }
        if (cdc != null) {
            cdc.close();
        }
        if (lake != null) {
            lake.close();
            lake = null;
        }
        if (watcher != null) {
            watcher.close();
        }
        main.stop();
        if (models != null) {
            models.close(); // after Camel: requests go on being scored while it drains
            models = null;
        }
        if (buffer != null) {
            buffer.close(); // after Camel: the exchanges Camel drained are in it
            buffer = null;
        }
        if (freshness != null) {
            freshness.close();
        }
        if (mirror != null) {
            mirror.close();
        }
    }

    /** Camel's own settings derived from ours; kept together so run, validate and tests agree. */
    static final class CamelSettings {
        private CamelSettings() {
        }

        static Properties from(HubConfig config) {
            Properties p = config.asProperties();
            p.putIfAbsent("camel.main.name", "factory-hub");
            p.putIfAbsent("camel.main.shutdownTimeout", "30");
            Path kamelets = config.getPath("factory.kamelets-dir").toAbsolutePath();
            p.putIfAbsent("camel.component.kamelet.location", "file:" + kamelets + ",classpath:kamelets");
            // camel-kafka serves routes of users that write to Kafka directly, bypassing the buffer: same guarantees
            KafkaProducerSettings.camelKafkaOptions(config).forEach(p::putIfAbsent);
            p.putIfAbsent("camel.management.enabled", "true");
            // /health and /metrics describe the plant: loopback only unless factory.http.host opens them up
            p.putIfAbsent("camel.management.host", config.get("factory.http.host"));
            p.putIfAbsent("camel.management.port", config.get("factory.http.port"));
            p.putIfAbsent("camel.management.healthCheckEnabled", "true");
            p.putIfAbsent("camel.management.healthPath", "/health");
            p.putIfAbsent("camel.management.metricsEnabled", "true");
            p.putIfAbsent("camel.metrics.enabled", "true");
            p.putIfAbsent("camel.metrics.path", "/metrics");
            // per-exchange route metrics cost ~20 % of ingest throughput (measured with bench ingest); connectors
            // count their events themselves (factory_connector_events_total). Set to true to get them anyway.
            p.putIfAbsent("camel.metrics.enableRoutePolicy", "false");
            p.putIfAbsent("camel.main.streamCachingEnabled", "false");
            p.putIfAbsent("camel.metrics.enableExchangeEventNotifier", "false");
            return p;
        }
    }
}
