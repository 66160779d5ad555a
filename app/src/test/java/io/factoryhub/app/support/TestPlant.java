package io.factoryhub.app.support;

import io.factoryhub.app.plant.EmbeddedPlant;
import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.plant.kafka.EmbeddedKafka;
import io.factoryhub.plant.mqtt.EmbeddedMqttBroker;
import io.factoryhub.plant.opcua.OpcUaMachineServer;
import io.factoryhub.plant.postgres.EmbeddedPostgres;
import io.factoryhub.plant.s3.EmbeddedS3;
import io.factoryhub.testkit.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One real plant per test JVM — a KRaft Kafka broker, an MQTT 5 broker and a Milo OPC-UA server on free
 * loopback ports — shared by all integration tests (each asserts on its own machine ids).
 */
public final class TestPlant {

    /** OPC-UA variables of the test server: the default line-3 machines and a spare machine per test. */
    public static final List<String> OPCUA_NODE_PATHS = nodePaths();

    private static TestPlant shared;

    private final EmbeddedKafka kafka;
    private final EmbeddedMqttBroker mqtt;
    private final int opcuaPort = FreePorts.next();
    private final Path dataDir;
    /** Replaced by each restart; volatile for tests that feed it from a thread of their own. */
    private volatile OpcUaMachineServer opcua;
    private EmbeddedPostgres postgres;
    private EmbeddedS3 s3;

    /** Credentials of the test S3 (s3proxy checks the signatures). */
    public static final String S3_ACCESS_KEY = "test-access-key";
    public static final String S3_SECRET_KEY = "test-secret-key";
    private EmbeddedPlant externalPlant;
    private HubConfig mirrorConfig;

    /** Password of the MES user of the test PostgreSQL. */
    public static final String MES_PASSWORD = "test-mes-password";
    /** Password of the superuser of the test PostgreSQL. */
    public static final String POSTGRES_SUPERUSER_PASSWORD = "test-superuser-password";

    private TestPlant(Path dataDir) {
        this.dataDir = dataDir;
        // no time-based retention: tests replay and mirror records stamped on fixed past dates (2026-11-22), which Kafka's
        // default 7 days would delete at its next retention check
        kafka = new EmbeddedKafka(dataDir.resolve("kafka"), FreePorts.next(), FreePorts.next(), 1, Map.of("log.retention.ms", "-1"));
        mqtt = new EmbeddedMqttBroker(dataDir.resolve("mqtt"), FreePorts.next());
    }

    public static synchronized TestPlant shared() {
        if (shared == null) {
            try {
                TestPlant plant = new TestPlant(Files.createTempDirectory("factory-hub-test-plant"));
                plant.kafka.start();
                plant.mqtt.start();
                plant.startOpcUa();
                Runtime.getRuntime().addShutdownHook(new Thread(plant::close));
                shared = plant;
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the test plant", e);
            }
        }
        return shared;
    }

    public synchronized void startOpcUa() throws Exception {
        opcua = new OpcUaMachineServer(opcuaPort, dataDir.resolve("opcua-pki"), OPCUA_NODE_PATHS);
        opcua.start();
    }

    public synchronized void stopOpcUa() {
        opcua.close();
    }

    public OpcUaMachineServer opcua() {
        return opcua;
    }

    /** The MES PostgreSQL, started on first use (only the CDC tests need it). */
    public synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            Path cdc = HubUnderTest.REPO.resolve("cdc");
            EmbeddedPostgres pg = new EmbeddedPostgres(dataDir.resolve("postgres"), FreePorts.next(), "mes", "mes", MES_PASSWORD,
                    POSTGRES_SUPERUSER_PASSWORD, "dbz_mes", List.of(cdc.resolve("mes-schema.sql"), cdc.resolve("mes-seed.sql")));
            try {
                pg.start();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the test PostgreSQL", e);
            }
            postgres = pg;
        }
        return postgres;
    }

    /** The S3 API server (s3proxy, bucket {@code datalake}), started on first use (only the lake tests need it). */
    public synchronized EmbeddedS3 s3() {
        if (s3 == null) {
            try {
                s3 = new EmbeddedS3(dataDir.resolve("s3"), FreePorts.next(), "datalake", S3_ACCESS_KEY, S3_SECRET_KEY).start();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the test S3", e);
            }
        }
        return s3;
    }

    /**
     * The external (BI) cluster, started on first use the way {@code ./factory-hub run} starts it (the product's
     * EmbeddedPlant with every other part off): TLS material, SCRAM users and the repo's mirror-config ACLs.
     * Returns the hub configuration that points at both clusters, with the credentials file in the plant's data dir.
     */
    public synchronized HubConfig external() {
        if (externalPlant == null) {
            HubConfig config = EmbeddedPlant.externalOnly(HubConfig.defaults()
                    .with("factory.home", HubUnderTest.REPO.toString())
                    .with("factory.kafka.bootstrap-servers", bootstrapServers()),
                    dataDir.resolve("external"), FreePorts.next(), FreePorts.next());
            try {
                externalPlant = new EmbeddedPlant(config).start();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the external test cluster", e);
            }
            mirrorConfig = config;
        }
        return mirrorConfig;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String mqttUrl() {
        return "tcp://127.0.0.1:" + mqtt.port();
    }

    public String opcuaUrl() {
        return "opc.tcp://127.0.0.1:" + opcuaPort;
    }

    private void close() {
        try {
            if (opcua != null) {
                opcua.close();
            }
            if (postgres != null) {
                postgres.close();
            }
            if (s3 != null) {
                s3.close();
            }
            if (externalPlant != null) {
                externalPlant.close();
            }
        } finally {
            mqtt.close();
            kafka.close();
        }
    }

    private static List<String> nodePaths() {
        List<String> paths = new ArrayList<>();
        for (String machine : List.of("line-3/lathe-05", "line-3/lathe-06", "line-t/opc-01", "line-t/opc-02")) {
            for (String tag : List.of("vibration", "temperature")) {
                paths.add("plant-a/" + machine + "/" + tag);
            }
        }
        return paths;
    }
}
