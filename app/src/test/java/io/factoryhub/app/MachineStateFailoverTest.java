package io.factoryhub.app;

import static io.factoryhub.app.support.StateTopics.changes;
import static io.factoryhub.app.support.StateTopics.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.factoryhub.app.support.HubUnderTest;
import io.factoryhub.app.support.KafkaRecords;
import io.factoryhub.app.support.StateTopics;
import io.factoryhub.app.support.TestPlant;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Machine states survive what a hub goes through: a restart resumes from the state in its data dir, and of two
 * instances under one application id the one left takes over a stopped one's machines with their state; committed
 * transitions are counted against a ledger written by hand: none missing, none twice.
 */
class MachineStateFailoverTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Map<String, String> CLOCKS = Map.of("factory.rules.out-of-order-ms", "2000", "factory.rules.tick-ms", "200");
    private static final String HOT = "\"machines\":\"%s\",\"group\":\"thermal\",\"weight\":10,\"state\":\"WARNING\","
            + "\"when\":{\"all\":[{\"tag\":\"temperature\",\"op\":\">\",\"value\":80%s}]}";

    @Test
    void should_resume_from_its_state_after_a_restart() throws Exception {
        try (StateTopics topics = new StateTopics(TestPlant.shared());
             HubUnderTest hub = new HubUnderTest(TestPlant.shared(), topics.hubConfig("restart", CLOCKS)).start();
             KafkaRecords events = topics.events("restart")) {
            topics.publishRule("restart-hot", HOT.formatted("restart-.*", ",\"for\":\"10s\""));
            for (int s = 0; s <= 6; s++) {
                temperature(topics, "restart-01", 85, s);
            }
            StateTopics.await(events, "restart-01", 1, Duration.ofSeconds(60)); // committed: readings 0..4 s applied

            hub.stop();
            hub.start();
            for (int s = 7; s <= 14; s++) {
                temperature(topics, "restart-01", 85, s);
            }

            StateTopics.await(events, "restart-01", 2, Duration.ofSeconds(60));
            List<ConsumerRecord<String, String>> all = events.settle(r -> "restart-01".equals(r.key()), Duration.ofSeconds(3));
            assertEquals(List.of("null>ACTIVE", "ACTIVE>WARNING"), changes(all), "nothing twice, nothing missing");
            assertEquals("2026-11-22T10:00:10Z", event(all.get(1)).path("since").asText(),
                    "held since 0 s, kept across the restart: 10 s later, not 10 s after the restart's first reading");
        }
    }

    @Test
    void should_lose_and_double_no_transition_when_one_of_two_instances_stops() throws Exception {
        int machines = 12;
        int readings = 20;
        try (StateTopics topics = new StateTopics(TestPlant.shared());
             HubUnderTest a = new HubUnderTest(TestPlant.shared(), instance(topics, "pair-a")).start();
             HubUnderTest b = new HubUnderTest(TestPlant.shared(), instance(topics, "pair-b")).start();
             KafkaRecords events = topics.events("pair")) {
            // every telemetry partition has its task, and each instance holds some of them
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> telemetryPartitions(a, topics) > 0
                    && telemetryPartitions(b, topics) > 0 && telemetryPartitions(a, topics) + telemetryPartitions(b, topics) == 6);
            topics.publishRule("pair-hot", HOT.formatted("pair-.*", ""));

            Map<String, Integer> ledger = new TreeMap<>();
            for (int m = 0; m < machines; m++) {
                String machine = "pair-%02d".formatted(m);
                ledger.merge(entry(machine, "null", "ACTIVE", 0), 1, Integer::sum);
                for (int s = 0; s < readings; s++) {
                    ledger.merge(s % 2 == 0 ? entry(machine, "ACTIVE", "WARNING", s) : entry(machine, "WARNING", "ACTIVE", s),
                            1, Integer::sum);
                }
            }
            for (int s = 0; s < readings; s++) { // every reading flips its machine's state; a stop in the middle
                for (int m = 0; m < machines; m++) {
                    temperature(topics, "pair-%02d".formatted(m), s % 2 == 0 ? 85 : 20, s);
                }
                if (s == readings / 2) {
                    a.stop();
                }
                Thread.sleep(250);
            }
            for (int m = 0; m < machines; m++) { // moves each watermark past the last flip
                temperature(topics, "pair-%02d".formatted(m), 20, 100);
            }

            events.await(r -> r.key().startsWith("pair-"), ledger.size(), Duration.ofSeconds(60));
            List<ConsumerRecord<String, String>> all = events.settle(r -> r.key().startsWith("pair-"), Duration.ofSeconds(3));
            Map<String, Integer> seen = new TreeMap<>();
            List<String> unexpected = new ArrayList<>();
            for (ConsumerRecord<String, String> record : all) {
                JsonNode e = event(record);
                String entry = entry(record.key(), e.path("from").asText("null"), e.path("to").asText(),
                        (int) Duration.between(T0, Instant.parse(e.path("since").asText())).toSeconds());
                seen.merge(entry, 1, Integer::sum);
                if (!ledger.containsKey(entry)) {
                    unexpected.add(entry);
                }
            }
            assertEquals(List.of(), unexpected);
            assertEquals(ledger, seen, "each transition exactly once");
            assertFalse(b.runtime().streams().streams().metadataForLocalThreads().isEmpty());
        }
    }

    /** One of the pair: same application id, its own instance id (its static group membership), home and port. */
    private static Map<String, String> instance(StateTopics topics, String instanceId) {
        Map<String, String> config = new java.util.HashMap<>(topics.hubConfig("pair", CLOCKS));
        config.put("factory.instance-id", instanceId);
        return config;
    }

    private static String entry(String machine, String from, String to, int second) {
        return machine + " " + from + ">" + to + " @" + second;
    }

    /** The telemetry partitions whose tasks run on {@code hub} (the topology has tasks of other topics too). */
    private static long telemetryPartitions(HubUnderTest hub, StateTopics topics) {
        KafkaStreams streams = hub.runtime().streams().streams();
        return streams.state() != KafkaStreams.State.RUNNING ? 0
                : streams.metadataForLocalThreads().stream().flatMap(t -> t.activeTasks().stream())
                        .flatMap(task -> task.topicPartitions().stream())
                        .filter(partition -> partition.topic().equals(topics.telemetry())).count();
    }

    private static void temperature(StateTopics topics, String machineId, double value, int second) {
        topics.reading(machineId, "temp-1", "temperature", value, T0.plusSeconds(second));
    }
}
