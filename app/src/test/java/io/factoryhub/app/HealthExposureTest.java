package io.factoryhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.factoryhub.app.support.HubUnderTest;
import io.factoryhub.app.support.TestPlant;
import io.factoryhub.testkit.FreePorts;
import io.factoryhub.testkit.Waits;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No /health answer, whatever its options, carries a stack trace, an exception, a host, an address, a port or a user
 * name: checked on a hub whose MQTT broker is a closed port, whose CDC logs in with a wrong password, whose lake
 * uploads to an S3 nobody listens on and whose OPC-UA server is gone, next to the checks that are up (Kafka, routes).
 */
class HealthExposureTest {

    private static final String MES_USER = "health_probe_user";
    private static final List<String> OPTIONS = List.of("", "?exposureLevel=full", "?exposureLevel=full&data=true",
            "?exposureLevel=full&data=true&stackTrace=true", "?data=true&stackTrace=true", "?exposureLevel=oneline");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static HubUnderTest hub;
    private static final List<String> forbidden = new ArrayList<>();

    @BeforeAll
    static void hubWithEveryDependencyBroken() throws Exception {
        TestPlant plant = TestPlant.shared();
        int closedMqtt = FreePorts.next();
        int closedS3 = FreePorts.next();
        int closedOpcUa = FreePorts.next();
        String lakeTopic = "health.lake." + UUID.randomUUID();
        Map<String, String> config = new HashMap<>();
        config.put("factory.mqtt.broker-url", "tcp://127.0.0.1:" + closedMqtt);
        config.put("factory.opcua.endpoint", "opc.tcp://127.0.0.1:" + closedOpcUa);
        config.put("factory.cdc.enabled", "true");
        config.put("factory.cdc.config", HubUnderTest.REPO.resolve("cdc/debezium.properties").toString());
        config.put("mes.host", "localhost");
        config.put("mes.port", Integer.toString(plant.postgres().port()));
        config.put("mes.user", MES_USER);
        config.put("mes.password", "not-the-password");
        config.put("factory.lake.enabled", "true");
        config.put("factory.lake.topics", Pattern.quote(lakeTopic));
        config.put("factory.lake.group-id", "health-" + lakeTopic);
        config.put("factory.lake.roll.interval-ms", "200");
        config.put("s3.endpoint", "http://127.0.0.1:" + closedS3);
        config.put("s3.access-key", TestPlant.S3_ACCESS_KEY);
        config.put("s3.secret-key", TestPlant.S3_SECRET_KEY);
        hub = new HubUnderTest(plant, config).withRepoConnector("line-3-opcua.pipe.yaml").start();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", plant.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(lakeTopic, "press-01", "{\"value\":1}")).get();
        }
        String kafka = plant.bootstrapServers();
        forbidden.addAll(List.of("127.0.0.1", "localhost", InetAddress.getLocalHost().getHostName(), MES_USER,
                TestPlant.S3_ACCESS_KEY, kafka.substring(kafka.lastIndexOf(':') + 1), Integer.toString(closedMqtt),
                Integer.toString(closedS3), Integer.toString(closedOpcUa), Integer.toString(plant.postgres().port()),
                "Exception", "error-message", "error-stacktrace", "\tat ", ".java:"));
        Waits.within(Duration.ofSeconds(60), Duration.ofMillis(200), () -> down("data-lake"));
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void should_report_each_broken_dependency_down_and_the_others_up() throws Exception {
        JsonNode checks = checks("/health?exposureLevel=full");
        System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(checks));
        for (String down : List.of("mqtt-broker", "mes-cdc", "data-lake", "opcua-subscriptions")) {
            assertEquals("DOWN", status(checks, down), down + " in " + checks);
        }
        assertEquals("UP", status(checks, "kafka"), checks.toString());
        // what to change is still said, by the key's name
        assertTrue(message(checks, "mes-cdc").contains("mes.password"), message(checks, "mes-cdc"));
    }

    @Test
    void should_never_render_exceptions_hosts_ports_or_user_names() throws Exception {
        for (String path : List.of("/health", "/health/ready", "/health/live")) {
            for (String options : OPTIONS) {
                String answer = hub.http(path + options);
                for (String secret : forbidden) {
                    assertFalse(answer.contains(secret), path + options + " shows '" + secret + "': " + answer);
                }
            }
        }
    }

    private static boolean down(String check) throws Exception {
        return "DOWN".equals(status(checks("/health?exposureLevel=full"), check));
    }

    private static JsonNode checks(String path) throws Exception {
        String answer = hub.http(path);
        return JSON.readTree(answer.substring(answer.indexOf(' ') + 1)).path("checks");
    }

    private static String status(JsonNode checks, String name) {
        for (JsonNode check : checks) {
            if (name.equals(check.path("name").asText())) {
                return check.path("status").asText();
            }
        }
        return "absent";
    }

    private static String message(JsonNode checks, String name) {
        for (JsonNode check : checks) {
            if (name.equals(check.path("name").asText())) {
                return check.path("message").asText();
            }
        }
        return "";
    }
}
