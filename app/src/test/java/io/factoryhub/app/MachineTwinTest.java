package io.factoryhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.factoryhub.app.support.DashboardSnapshot;
import io.factoryhub.app.support.HubUnderTest;
import io.factoryhub.app.support.KafkaRecords;
import io.factoryhub.app.support.RunningHub;
import io.factoryhub.app.support.SchemaFile;
import io.factoryhub.app.support.StreamsTopicsUnderTest;
import io.factoryhub.app.support.TestPlant;
import io.factoryhub.testkit.Waits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The digital twin on a hub with stream processing, fed straight on the factory Kafka: readings on the telemetry topic,
 * a state-changed event as the rules write it, a machine's MES context as the context part writes it. The twin answers
 * {@code GET /api/machines/{id}} with the newest of each, after a restart still, and from either of two instances; the
 * twin topic holds the newest per machine, at most one record per machine and flush interval.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MachineTwinTest {

    /** Topics of its own: the shared ones hold what every earlier test wrote, for the processing to read through first. */
    private static final StreamsTopicsUnderTest TOPICS = new StreamsTopicsUnderTest(TestPlant.shared(), "twin-test");
    private static final Duration ANSWER = Duration.ofSeconds(60);
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final String PRESS = "twin-press-01";
    /** A machine that sends nothing: its state is the one the test writes (the rules report states of machines that send). */
    private static final String KILN = "twin-kiln-09";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final RunningHub HUB = new RunningHub(instance("twin-a"), hub -> {
    });

    private static KafkaProducer<String, String> producer;
    /** The twins as the first tests read them: what the restart must not lose. */
    private static JsonNode pressTwin;
    private static JsonNode kilnTwin;

    @BeforeAll
    static void openProducer() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, HUB.plant().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void closeProducer() {
        producer.close();
        TOPICS.close();
    }

    @Test
    @Order(1)
    void should_answer_with_the_newest_reading_of_every_tag_and_the_mes_context() throws Exception {
        // what the twin cannot read is skipped, and the rest goes on
        send(TOPICS.telemetry(), PRESS, "not json");
        send(TOPICS.events(), PRESS, "{\"type\":\"state-changed\"");
        send(TOPICS.events(), PRESS, "{\"type\":\"state-changed\",\"machineId\":\"" + PRESS + "\",\"from\":\"ACTIVE\"}");
        send(TOPICS.context(), PRESS, context(PRESS, "WO-2026-000002", "BRK-220"));
        send(TOPICS.telemetry(), PRESS, reading(PRESS, "temp-1", "temperature", 70.5, "degC", "GOOD", T0));
        send(TOPICS.telemetry(), PRESS, reading(PRESS, "vib-1", "vibration", 3.1, "mm/s", "GOOD", T0.plusSeconds(1)));
        send(TOPICS.telemetry(), PRESS, reading(PRESS, "temp-1", "temperature", 81.25, "degC", "GOOD", T0.plusSeconds(5)));
        // late: older than the 81.25 above, so not the newest
        send(TOPICS.telemetry(), PRESS, reading(PRESS, "temp-1", "temperature", 60.0, "degC", "GOOD", T0.plusSeconds(2)));
        send(TOPICS.telemetry(), PRESS, reading(PRESS, "vib-1", "vibration", 4.75, "mm/s", "UNCERTAIN", T0.plusSeconds(6)));

        JsonNode twin = awaitTwin(HUB.hub(), PRESS, t -> t.at("/tags/vibration/value").asDouble() == 4.75
                && t.at("/context/order_number").isTextual());
        SchemaFile.MACHINE_TWIN.valid(twin.toString());
        assertEquals("plant-a", twin.path("site").asText());
        assertEquals("line-1", twin.path("line").asText());
        assertEquals(JSON.readTree("""
                {"value":81.25,"unit":"degC","quality":"GOOD","sourceTime":"2026-11-22T10:00:05Z","deviceId":"temp-1"}"""),
                twin.at("/tags/temperature"));
        assertEquals(JSON.readTree("""
                {"value":4.75,"unit":"mm/s","quality":"UNCERTAIN","sourceTime":"2026-11-22T10:00:06Z","deviceId":"vib-1"}"""),
                twin.at("/tags/vibration"));
        assertEquals("WO-2026-000002", twin.at("/context/order_number").asText());
        assertEquals("BRK-220", twin.at("/context/product_code").asText());
        assertEquals(2400, twin.at("/context/ideal_cycle_ms").asInt());
        assertEquals("2026-11-22T10:00:06Z", twin.path("lastReadingAt").asText());
        pressTwin = twin;
    }

    @Test
    @Order(2)
    void should_carry_the_state_the_rules_reported_last() throws Exception {
        send(TOPICS.events(), KILN, stateChanged(KILN, "ACTIVE", "WARNING", "kiln-overheating", "thermal", T0));
        send(TOPICS.events(), KILN, stateChanged(KILN, "WARNING", "ALARM", "kiln-flame-out", "safety", T0.plusSeconds(5)));
        send(TOPICS.context(), KILN, context(KILN, "WO-2026-000007", "TIL-100"));

        JsonNode twin = awaitTwin(HUB.hub(), KILN, t -> "ALARM".equals(t.at("/state/name").asText())
                && t.at("/context/order_number").isTextual());
        SchemaFile.MACHINE_TWIN.valid(twin.toString());
        assertEquals(JSON.readTree("""
                {"name":"ALARM","since":"2026-11-22T10:00:05Z","rule":"kiln-flame-out","group":"safety",
                 "from":"WARNING","detectedAt":"2026-11-22T10:00:06Z"}"""), twin.path("state"));
        assertEquals("plant-a", twin.path("site").asText(), "where the state event places it: it sends no readings");
        assertEquals("line-1", twin.path("line").asText());
        assertEquals(JSON.readTree("{}"), twin.path("tags"));
        assertTrue(twin.path("lastReadingAt").isNull());
        assertEquals("TIL-100", twin.at("/context/product_code").asText());
        kilnTwin = twin;
    }

    @Test
    @Order(3)
    void should_follow_a_new_work_order_of_a_machine_that_sends_nothing() throws Exception {
        send(TOPICS.context(), PRESS, context(PRESS, "WO-2026-000003", "BRK-310"));
        JsonNode twin = awaitTwin(HUB.hub(), PRESS, t -> "WO-2026-000003".equals(t.at("/context/order_number").asText()));
        assertEquals("BRK-310", twin.at("/context/product_code").asText());
        assertEquals(81.25, twin.at("/tags/temperature/value").asDouble(), "the readings as before");
        pressTwin = twin;
    }

    @Test
    @Order(4)
    void should_answer_404_with_an_error_for_a_machine_without_a_twin() throws Exception {
        Answer answer = get(HUB.hub(), "/api/machines/no-such-machine");
        assertEquals(404, answer.status());
        assertTrue(answer.body().path("error").asText().contains("no-such-machine"), answer.body().toString());
    }

    @Test
    @Order(5)
    void should_list_every_twin_by_machine() throws Exception {
        Answer answer = get(HUB.hub(), "/api/machines");
        assertEquals(200, answer.status());
        assertTrue(answer.body().isArray(), answer.body().toString());
        List<String> ids = new ArrayList<>();
        answer.body().forEach(twin -> ids.add(twin.path("machineId").asText()));
        assertTrue(ids.contains(PRESS), ids.toString());
        assertEquals(ids.stream().sorted().toList(), ids, "by machineId");
    }

    @Test
    @Order(6)
    void should_put_the_newest_twin_on_the_topic_at_most_once_per_second_per_machine() throws Exception {
        String mill = "twin-mill-02";
        long start = System.currentTimeMillis();
        int readings = 600;
        for (int i = 1; i <= readings; i++) { // 200 readings a second for 3 s
            send(TOPICS.telemetry(), mill, reading(mill, "temp-1", "temperature", i, "degC", "GOOD",
                    T0.plusMillis(i * 5L)));
            if (i % 20 == 0) {
                Thread.sleep(100);
            }
        }
        try (KafkaRecords twins = new KafkaRecords(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                HUB.plant().bootstrapServers(), ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                "twin-topic-" + System.nanoTime(), TOPICS.twin())) {
            twins.await(record -> mill.equals(record.key()) && value(record).at("/tags/temperature/value").asDouble() == readings,
                    1, ANSWER);
            long seconds = (System.currentTimeMillis() - start + 999) / 1000;
            List<ConsumerRecord<String, String>> ofMill = twins.settle(KafkaRecords.keyed(mill), Duration.ofSeconds(2));
            System.out.printf("twin: %d readings of %s over %d s -> %d twin records%n", readings, mill, seconds, ofMill.size());
            assertTrue(ofMill.size() <= seconds + 2, ofMill.size() + " twin records for " + readings + " readings in " + seconds + " s");
            JsonNode last = value(ofMill.get(ofMill.size() - 1));
            SchemaFile.MACHINE_TWIN.valid(last.toString());
            assertEquals(600.0, last.at("/tags/temperature/value").asDouble(), "the topic's last twin has the newest reading");
            assertEquals("2026-11-22T10:00:03Z", last.at("/tags/temperature/sourceTime").asText());
        }
    }

    @Test
    @Order(7)
    void should_answer_with_the_same_twins_after_a_restart() throws Exception {
        HUB.hub().stop();
        HUB.hub().start();
        List<Integer> statuses = new ArrayList<>();
        AtomicReference<Answer> last = new AtomicReference<>();
        assertTrue(Waits.within(ANSWER, Duration.ofMillis(100), () -> {
            Answer answer = get(HUB.hub(), "/api/machines/" + PRESS);
            last.set(answer);
            if (statuses.isEmpty() || statuses.get(statuses.size() - 1) != answer.status()) {
                statuses.add(answer.status());
            }
            if (answer.status() == 503) {
                assertFalse(answer.body().path("error").asText().isBlank(), "a 503 says why: " + answer.body());
            }
            return answer.status() == 200;
        }), "no twin after the restart: " + last.get());
        System.out.println("twin: answers after the restart, in turn: " + statuses);
        // PRESS's state is the rules' (ACTIVE, OFFLINE once silent) where they run: the rest of its twin as before
        assertEquals(without(pressTwin, "updatedAt", "state"), without(last.get().body(), "updatedAt", "state"));
        assertEquals(without(kilnTwin, "updatedAt"), without(get(HUB.hub(), "/api/machines/" + KILN).body(), "updatedAt"));

        // the processing state came back too, not only the queried copy: one new tag value, the rest as before
        send(TOPICS.telemetry(), PRESS, reading(PRESS, "temp-1", "temperature", 83.5, "degC", "GOOD", T0.plusSeconds(10)));
        JsonNode twin = awaitTwin(HUB.hub(), PRESS, t -> t.at("/tags/temperature/value").asDouble() == 83.5);
        assertEquals(pressTwin.at("/tags/vibration"), twin.at("/tags/vibration"));
        assertEquals(pressTwin.path("context"), twin.path("context"));

        // the dashboard tails the events from its start on: the state of before the restart is the twins'
        AtomicReference<JsonNode> states = new AtomicReference<>();
        assertTrue(Waits.within(Duration.ofSeconds(15), Duration.ofMillis(200), () -> {
            states.set(DashboardSnapshot.read(HUB.hub().httpPort()).snapshot().path("states"));
            return states.get().toString().contains(KILN);
        }), "the dashboard knows the state of " + KILN + ": " + states.get());
        for (JsonNode state : states.get()) {
            if (KILN.equals(state.path("machineId").asText())) {
                assertEquals("ALARM", state.path("state").asText());
                assertEquals("kiln-flame-out", state.path("rule").asText());
                assertEquals(T0.plusSeconds(5).toEpochMilli(), state.path("since").asLong());
            }
        }
    }

    @Test
    @Order(8)
    void should_answer_for_every_machine_from_either_of_two_instances() throws Exception {
        List<String> machines = new ArrayList<>();
        for (int i = 1; i <= 12; i++) { // over the 6 partitions: each instance owns some of them
            machines.add(String.format("twin-lathe-%02d", i));
        }
        try (HubUnderTest second = new HubUnderTest(TestPlant.shared(), instance("twin-b")).start()) {
            for (int round = 1; round <= 2; round++) { // before and after the tasks are split between the two
                double value = round * 10;
                for (String machine : machines) {
                    send(TOPICS.telemetry(), machine, reading(machine, "vib-1", "vibration", value + machines.indexOf(machine),
                            "mm/s", "GOOD", T0.plusSeconds(round)));
                }
                for (HubUnderTest hub : List.of(HUB.hub(), second)) {
                    for (String machine : machines) {
                        double expected = value + machines.indexOf(machine);
                        awaitTwin(hub, machine, t -> t.at("/tags/vibration/value").asDouble() == expected);
                    }
                }
                if (round == 1) {
                    assertTrue(Waits.within(ANSWER, Duration.ofMillis(200), () -> activeTasks(HUB.hub()) > 0 && activeTasks(second) > 0),
                            "the two instances split the tasks: " + activeTasks(HUB.hub()) + " and " + activeTasks(second));
                }
            }
            System.out.printf("twin: two instances, tasks %d and %d, each answers for all %d machines%n",
                    activeTasks(HUB.hub()), activeTasks(second), machines.size());
        }
    }

    /** One of the hubs sharing the application id: each instance of a scaled-out hub has a name of its own. */
    private static Map<String, String> instance(String instanceId) {
        // the dashboard: its states from before a restart come from the twins
        return TOPICS.hubConfig(Map.of("factory.instance-id", instanceId, "factory.dashboard.enabled", "true"));
    }

    private static int activeTasks(HubUnderTest hub) {
        return hub.runtime().streams().streams().metadataForLocalThreads().stream()
                .mapToInt(thread -> thread.activeTasks().size()).sum();
    }

    private interface TwinCheck {
        boolean test(JsonNode twin);
    }

    /** GETs the machine's twin until it passes {@code check}; fails with the last answer. */
    private static JsonNode awaitTwin(HubUnderTest hub, String machineId, TwinCheck check) {
        AtomicReference<Answer> last = new AtomicReference<>();
        boolean passed = Waits.within(ANSWER, Duration.ofMillis(100), () -> {
            last.set(get(hub, "/api/machines/" + machineId));
            return last.get().status() == 200 && check.test(last.get().body());
        });
        assertTrue(passed, machineId + " on port " + hub.httpPort() + ": " + last.get());
        return last.get().body();
    }

    private record Answer(int status, JsonNode body) {
    }

    private static Answer get(HubUnderTest hub, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + hub.httpPort() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("application/json", response.headers().firstValue("content-type").orElse(""), response.body());
        return new Answer(response.statusCode(), JSON.readTree(response.body()));
    }

    private static JsonNode without(JsonNode twin, String... fields) {
        ObjectNode copy = twin.deepCopy();
        copy.remove(List.of(fields));
        return copy;
    }

    private static JsonNode value(ConsumerRecord<String, String> record) {
        try {
            return JSON.readTree(record.value());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + record.value(), e);
        }
    }

    private static void send(String topic, String key, String value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    private static String reading(String machine, String device, String tag, double value, String unit, String quality,
                                  Instant time) throws Exception {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("machineId", machine);
        event.put("deviceId", device);
        event.put("tag", tag);
        event.put("value", value);
        event.put("unit", unit);
        event.put("quality", quality);
        event.put("sourceTime", time.toString());
        event.put("ingestTime", time.plusMillis(20).toString());
        event.put("site", "plant-a");
        event.put("line", "line-1");
        event.put("source", Map.of("protocol", "mqtt", "address", "plant-a/line-1/" + machine + "/" + tag, "connector", "line-1-sensors"));
        String json = JSON.writeValueAsString(event);
        SchemaFile.TELEMETRY.valid(json);
        return json;
    }

    /** As the rules' part writes a transition. */
    private static String stateChanged(String machine, String from, String to, String rule, String group, Instant since)
            throws Exception {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "state-changed");
        event.put("machineId", machine);
        event.put("site", "plant-a");
        event.put("line", "line-1");
        event.put("from", from);
        event.put("to", to);
        event.put("rule", rule);
        event.put("group", group);
        event.put("since", since.toString());
        event.put("values", Map.of("temperature", 81.25));
        event.put("detectedAt", since.plusSeconds(1).toString());
        String json = JSON.writeValueAsString(event);
        SchemaFile.MACHINE_EVENT.valid(json);
        return json;
    }

    /** As the context part writes a machine's MES context. */
    private static String context(String machine, String orderNumber, String productCode) throws Exception {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("machineId", machine);
        context.put("site", "plant-a");
        context.put("line", "line-1");
        context.put("equipment_status", "running");
        context.put("work_order_id", 2);
        context.put("order_number", orderNumber);
        context.put("product_code", productCode);
        context.put("work_order_status", "running");
        context.put("ideal_cycle_ms", 2400);
        context.put("updatedAt", Instant.now().toString());
        return JSON.writeValueAsString(context);
    }
}
