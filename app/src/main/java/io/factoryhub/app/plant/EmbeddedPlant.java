package io.factoryhub.app.plant;

import io.factoryhub.hub.cdc.CdcSettings;
import io.factoryhub.hub.config.CredentialsFile;
import io.factoryhub.hub.config.DataDir;
import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.hub.mirror.ExternalCluster;
import io.factoryhub.hub.mirror.KafkaUserAcls;
import io.factoryhub.hub.mirror.MirrorSettings;
import io.factoryhub.plant.kafka.EmbeddedKafka;
import io.factoryhub.plant.kafka.ExternalKafka;
import io.factoryhub.plant.tls.TlsMaterial;
import io.factoryhub.plant.mes.MesSimulator;
import io.factoryhub.plant.mqtt.EmbeddedMqttBroker;
import io.factoryhub.plant.opcua.OpcUaMachineServer;
import io.factoryhub.plant.postgres.EmbeddedPostgres;
import io.factoryhub.plant.s3.EmbeddedS3;
import io.factoryhub.plant.sim.SimulatedMachine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated plant {@code ./factory-hub run} starts under the hub: factory Kafka, MQTT 5 broker, OPC-UA server
 * and the machine simulator, each switched off by {@code plant.<part>.enabled=false} when a real one is used.
 * State lives in the data dir, so a restart resumes.
 */
public final class EmbeddedPlant implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPlant.class);
    /** Key of the embedded PostgreSQL's superuser password in the credentials file. */
    public static final String POSTGRES_SUPERUSER_PASSWORD = "plant.postgres.superuser-password";

    private final HubConfig config;
    private final Path dataDir;
    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final List<String> endpoints = new ArrayList<>();
    private OpcUaMachineServer opcua;
    private PlantSimulator simulator;
    private EmbeddedPostgres postgres;
    private MesSimulator mesSimulator;

    public EmbeddedPlant(HubConfig config) {
        this.config = config;
        this.dataDir = config.getPath("factory.data-dir");
    }

    /**
     * The configuration of a plant that is only the external (BI) cluster, on the given ports, with its state in
     * {@code dataDir}: for the mirror's tests and bench, which bring their own factory Kafka.
     */
    public static HubConfig externalOnly(HubConfig base, Path dataDir, int port, int controllerPort) {
        HubConfig config = base
                .with("factory.data-dir", dataDir.toString())
                .with("external.bootstrap-servers", "localhost:" + port)
                .with("plant.external-kafka.port", Integer.toString(port))
                .with("plant.external-kafka.controller-port", Integer.toString(controllerPort));
        for (String part : List.of("kafka", "mqtt", "opcua", "postgres", "s3", "simulator", "mes-simulator")) {
            config = config.with("plant." + part + ".enabled", "false");
        }
        return config;
    }

    /** Starts the enabled parts; on failure stops what already started and rethrows. */
    public synchronized EmbeddedPlant start() throws Exception {
        DataDir.secure(dataDir);
        try {
            if (config.getBoolean("plant.kafka.enabled")) {
                EmbeddedKafka kafka = new EmbeddedKafka(dataDir.resolve("kafka"), config.getInt("plant.kafka.port"),
                        config.getInt("plant.kafka.controller-port"), 1, Map.of());
                kafka.start();
                running.push(kafka);
                endpoints.add("factory Kafka      " + kafka.bootstrapServers() + "  (embedded KRaft broker)");
            }
            if (config.getBoolean("plant.external-kafka.enabled")) {
                startExternalKafka();
            }
            if (config.getBoolean("plant.mqtt.enabled")) {
                EmbeddedMqttBroker mqtt = new EmbeddedMqttBroker(dataDir.resolve("mqtt"), config.getInt("plant.mqtt.port"),
                        EmbeddedMqttBroker.Kind.fromName(config.get("plant.mqtt.broker")));
                mqtt.start();
                running.push(mqtt);
                endpoints.add("MQTT 5 broker      tcp://localhost:" + mqtt.port() + "  (embedded " + mqtt.kind().name().toLowerCase() + ")");
            }
            if (config.getBoolean("plant.s3.enabled")) {
                startS3();
            }
            List<SimulatedMachine> machines = SimulatedMachine.defaultPlant(config.get("factory.site"),
                    config.getInt("plant.simulator.machines-per-line"));
            if (config.getBoolean("plant.opcua.enabled")) {
                opcua = new OpcUaMachineServer(config.getInt("plant.opcua.port"), dataDir.resolve("opcua-pki"), opcuaNodePaths(machines));
                opcua.start();
                running.push(opcua);
                endpoints.add("OPC-UA server      " + opcua.endpointUrl() + "  (embedded Milo, " + opcua.nodePaths().size() + " variables)");
            }
            if (config.getBoolean("plant.postgres.enabled")) {
                startPostgres();
            }
            if (config.getBoolean("plant.simulator.enabled")) {
                simulator = new PlantSimulator(config, machines, opcua);
                simulator.start();
                endpoints.add("simulator          " + machines.size() + " machines, a reading per tag every "
                        + config.getInt("plant.simulator.interval-ms") + " ms");
            }
            if (config.getBoolean("plant.mes-simulator.enabled")) {
                startMesSimulator(machines);
            }
            return this;
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /**
     * The MES database: credentials from configuration, else the ones generated on the first run, kept in
     * {@code <data-dir>/credentials.properties}; schema and seed from cdc/ on a new database.
     */
    private void startPostgres() throws Exception {
        CredentialsFile credentials = new CredentialsFile(dataDir);
        String user = credentials.resolve("mes.user", config.get("mes.user"), false);
        String password = credentials.resolve("mes.password", config.get("mes.password"), true);
        // the plant administers the server itself (publication, MES user's password), nobody else needs it
        String superuserPassword = credentials.resolve(POSTGRES_SUPERUSER_PASSWORD, null, true);
        List<Path> scripts = new ArrayList<>();
        for (String script : config.get("plant.postgres.init-scripts").split(",")) {
            scripts.add(config.getPath("factory.home").resolve(script.trim()));
        }
        postgres = new EmbeddedPostgres(dataDir.resolve("postgres"), config.getInt("plant.postgres.port"),
                config.get("mes.database"), user, password, superuserPassword, publicationName(), scripts).start();
        running.push(postgres);
        endpoints.add("MES PostgreSQL     localhost:" + postgres.port() + "/" + postgres.database() + "  user " + user
                + ", password in " + credentials.path());
    }

    /**
     * The lake's S3: credentials from configuration, else the ones generated on the first run, kept in
     * {@code <data-dir>/credentials.properties} (the hub reads them there); objects under {@code <data-dir>/s3}.
     */
    private void startS3() throws Exception {
        CredentialsFile credentials = new CredentialsFile(dataDir);
        String accessKey = credentials.resolve("s3.access-key", config.get("s3.access-key"), true);
        String secretKey = credentials.resolve("s3.secret-key", config.get("s3.secret-key"), true);
        EmbeddedS3 s3 = new EmbeddedS3(dataDir.resolve("s3"), config.getInt("plant.s3.port"), config.get("factory.lake.bucket"),
                accessKey, secretKey).start();
        running.push(s3);
        endpoints.add("S3 (data lake)     " + s3.endpoint() + "  bucket " + s3.bucket() + ", path-style, keys in "
                + credentials.path() + "  (embedded s3proxy)");
    }

    /**
     * The external (BI) cluster: TLS material and SCRAM users made on the first run (passwords from configuration,
     * else generated, all kept in {@code <data-dir>/credentials.properties}), then the ACLs of
     * mirror-config/strimzi/kafka-users.yaml applied as the admin.
     */
    private void startExternalKafka() throws Exception {
        CredentialsFile credentials = new CredentialsFile(dataDir);
        List<ExternalKafka.User> users = new ArrayList<>();
        for (String role : List.of("admin", "mm2", "bi")) {
            String prefix = "external." + role;
            users.add(new ExternalKafka.User(credentials.resolve(prefix + ".user", config.get(prefix + ".user"), false),
                    credentials.resolve(prefix + ".password", config.get(prefix + ".password"), true)));
        }
        TlsMaterial tls = new TlsMaterial(dataDir.resolve("tls")).ensure();
        ExternalKafka external = new ExternalKafka(dataDir.resolve("kafka-external"), tls, config.getInt("plant.external-kafka.port"),
                config.getInt("plant.external-kafka.controller-port"), 2, users.get(0), users);
        running.push(external);
        external.start();
        MirrorSettings mirror = MirrorSettings.from(config);
        try (Admin admin = Admin.create(new HashMap<String, Object>(ExternalCluster.as(config, "admin").clientProperties()))) {
            KafkaUserAcls.apply(admin, KafkaUserAcls.load(config.getPath("factory.mirror.users"), mirror.fileAlias(), mirror.site()));
        }
        endpoints.add("external Kafka     " + external.bootstrapServers() + "  (BI, SASL_SSL SCRAM-SHA-512; CA " + tls.caFile()
                + "; users admin, mm2, bi: passwords in " + credentials.path() + ")");
    }

    /** The publication the Debezium configuration names, created with the database (FOR ALL TABLES needs a superuser). */
    private String publicationName() {
        Path file = config.getPath("factory.cdc.config");
        Properties debezium = Files.isRegularFile(file) ? CdcSettings.readProperties(file) : new Properties();
        return debezium.getProperty("publication.name", "dbz_publication");
    }

    private void startMesSimulator(List<SimulatedMachine> machines) {
        CredentialsFile credentials = new CredentialsFile(dataDir);
        String user = credentials.resolve("mes.user", config.get("mes.user"), false);
        String password = credentials.resolve("mes.password", config.get("mes.password"), false);
        double rate = Double.parseDouble(config.get("plant.mes-simulator.transactions-per-second"));
        String jdbcUrl = "jdbc:postgresql://" + config.get("mes.host") + ":" + config.get("mes.port") + "/" + config.get("mes.database");
        mesSimulator = new MesSimulator(jdbcUrl, user, password, machines.stream().map(SimulatedMachine::machineId).toList(), rate).start();
        endpoints.add("MES simulator      " + rate + " transactions/s (work orders, counts, quality checks, downtime)");
    }

    /** What runs where, for the start banner. */
    public List<String> endpoints() {
        return List.copyOf(endpoints);
    }

    /** Machines stop first on shutdown, so the hub drains a stream that no longer grows. */
    public synchronized void stopSimulator() {
        if (simulator != null) {
            simulator.close();
            simulator = null;
        }
        if (mesSimulator != null) {
            mesSimulator.close();
            mesSimulator = null;
        }
    }

    private static List<String> opcuaNodePaths(List<SimulatedMachine> machines) {
        List<String> paths = new ArrayList<>();
        for (SimulatedMachine machine : machines) {
            if (machine.transport() == SimulatedMachine.Transport.OPCUA) {
                for (SimulatedMachine.Tag tag : SimulatedMachine.Tag.values()) {
                    paths.add(machine.nodePath(tag));
                }
            }
        }
        return paths;
    }

    @Override
    public synchronized void close() {
        stopSimulator();
        while (!running.isEmpty()) {
            AutoCloseable part = running.pop();
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("Stopping {} failed: {}", part.getClass().getSimpleName(), e.getMessage());
            }
        }
    }
}
