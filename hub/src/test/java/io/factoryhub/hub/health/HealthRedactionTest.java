package io.factoryhub.hub.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.factoryhub.hub.config.HubConfig;
import java.net.ConnectException;
import java.util.List;
import java.util.Map;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.junit.jupiter.api.Test;

/** The messages the hub's checks produce when down, as seen, and what /health shows of them. */
class HealthRedactionTest {

    private final HealthRedaction redaction = HealthRedaction.from(HubConfig.defaults()
            .with("mes.host", "mes-db.site").with("mes.user", "factory_hub").with("mes.port", "6543")
            .with("factory.kafka.bootstrap-servers", "kafka-1.site:9092,kafka-2.site:9092"));

    @Test
    void should_keep_the_keys_to_change_and_drop_host_port_and_user_of_a_cdc_failure() {
        assertEquals("MES CDC cannot connect to PostgreSQL <redacted>/mes: FATAL: password authentication failed for user "
                        + "\"<redacted>\" — check mes.user / mes.password (MES_USER / MES_PASSWORD) and pg_hba.conf",
                redaction.redact("MES CDC cannot connect to PostgreSQL mes-db.site:6543/mes: FATAL: password authentication "
                        + "failed for user \"factory_hub\" — check mes.user / mes.password (MES_USER / MES_PASSWORD) and pg_hba.conf"));
        assertEquals("MES CDC needs the REPLICATION privilege, but user '<redacted>' on PostgreSQL <redacted>/mes lacks it. "
                        + "Run as superuser: ALTER ROLE \"<redacted>\" WITH REPLICATION; (or set mes.user to a user that has it).",
                redaction.redact("MES CDC needs the REPLICATION privilege, but user 'reporting' on PostgreSQL localhost:5432/mes "
                        + "lacks it. Run as superuser: ALTER ROLE \"reporting\" WITH REPLICATION; (or set mes.user to a user that has it)."));
    }

    @Test
    void should_drop_addresses_urls_and_configured_names_wherever_they_stand() {
        List<String[]> cases = List.of(
                new String[] {"Data lake is off: Unable to execute HTTP request: Connect to 127.0.0.1:43941 [/127.0.0.1] failed",
                    "Data lake is off: Unable to execute HTTP request: Connect to <redacted> [/<redacted>] failed"},
                new String[] {"not reachable: kafka-2.site", "not reachable: <redacted>"},
                new String[] {"endpoint paho-mqtt5://plant-a/line-1/+/+?brokerUrl=tcp://10.1.2.3:1883 failed",
                    "endpoint paho-mqtt5://<redacted> failed"},
                new String[] {"Connection to [::1]:5432 refused", "Connection to <redacted> refused"},
                new String[] {"no server on port 6543 of mes-db.site", "no server on port <redacted> of <redacted>"},
                new String[] {"cannot create /" + System.getProperty("user.name") + "/data/cdc", "cannot create /<redacted>/data/cdc"});
        for (String[] c : cases) {
            assertEquals(c[1], redaction.redact(c[0]));
        }
    }

    @Test
    void should_drop_the_exception_and_redact_message_and_details_of_any_result() {
        HealthCheckResultBuilder builder = HealthCheckResultBuilder.on(new TcpReachabilityCheck("kafka", "kafka-1.site", 9092))
                .down().error(new ConnectException("Connection refused: kafka-1.site/10.0.0.7:9092"))
                .detail("endpoint.uri", "kafka:factory.machine.telemetry?brokers=kafka-1.site:9092").detail("failure.count", 3);
        redaction.processResult(builder.build().getCheck(), Map.of(), builder);
        HealthCheck.Result result = builder.build();
        assertTrue(result.getError().isEmpty(), "no exception to render");
        assertEquals("failed (the hub's log says why)", result.getMessage().orElseThrow());
        assertEquals(Map.of("endpoint.uri", "kafka:factory.machine.telemetry?brokers=<redacted>", "failure.count", 3), result.getDetails());
    }

    @Test
    void should_leave_topics_keys_counts_and_times_alone() {
        for (String text : List.of("3 of 4 OPC-UA subscription(s) disconnected (reconnecting)",
                "topic mes.public.work_orders; set factory.topic.replication-factor", "2026-12-01T21:32:22.685+00:00",
                "S3 uploads failing, 2 partition(s) paused and retried")) {
            assertEquals(text, redaction.redact(text));
        }
    }
}
