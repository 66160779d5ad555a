package io.factoryhub.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.factoryhub.app.support.HubUnderTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ./factory-hub bench: each stage runs end to end with tiny sizes and ends with the contract's JSON line. Figures at
 * these sizes mean nothing (targets may be missed, exit 1); what is checked is that the stage ran and lost nothing.
 */
class BenchCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void should_measure_hub_peer_and_baseline_on_the_same_load_with_nothing_missing(@TempDir Path dir) throws Exception {
        int exit = bench(dir, "ingest", "--messages", "3000", "--rate", "500", "--rate-seconds", "2", "--warmup", "500");

        assertTrue(exit == 0 || exit == 1, "exit " + exit + " (2 = the stage failed): " + err);
        JsonNode result = lastJsonLine();
        assertEquals("ingest", result.get("stage").asText());
        for (String field : List.of("hub_per_s", "baseline_per_s", "ratio", "p50_ms", "p99_ms", "rss_mb", "peer_per_s",
                "peer_ratio", "peer_p50_ms", "peer_p99_ms", "peer_max_ms", "rss_mb_peer")) {
            assertTrue(result.get(field).isNumber(), field + " in " + result);
        }
        for (String field : List.of("missing", "baseline_missing", "peer_missing", "latency_missing",
                "baseline_latency_missing", "peer_latency_missing")) {
            assertEquals(0, result.get(field).asInt(), field + ": every reading of the three paths in Kafka: " + result);
        }
        assertTrue(out.toString().lines().anyMatch(line -> line.matches("metric +hub +peer +baseline +target")),
                "the table has the peer column: " + out);
    }

    @Test
    void should_buffer_a_kafka_outage_and_drain_it_with_nothing_missing(@TempDir Path dir) throws Exception {
        int exit = bench(dir, "buffer", "--buffer-messages", "2000", "--buffer-backlog", "5000", "--warmup", "500");

        assertTrue(exit == 0 || exit == 1, "exit " + exit + " (2 = the stage failed): " + err);
        JsonNode result = lastJsonLine();
        assertEquals("buffer", result.get("stage").asText());
        for (String field : List.of("hub_per_s", "baseline_per_s", "ratio", "p50_ms", "p99_ms", "rss_mb", "drain_per_s",
                "rss_growth_mb", "buffer_disk_mb")) {
            assertTrue(result.get(field).isNumber(), field + " in " + result);
        }
        assertTrue(result.get("buffered_records").asLong() >= 5000, "the whole backlog was in the buffer: " + result);
        assertEquals(0, result.get("missing").asInt(), "every reading of all three phases in Kafka: " + result);
        assertTrue(result.get("live_published").asInt() > 0, "live readings flowed during the drain: " + result);
        assertEquals(0, result.get("left_in_buffer").asLong(), "the buffer is empty at the end: " + result);
        assertEquals(exit == 0, out.toString().lines().noneMatch(line -> line.endsWith("MISSED")), out.toString());
    }

    @Test
    void should_evaluate_the_same_transitions_through_streams_as_the_baseline(@TempDir Path dir) throws Exception {
        int exit = bench(dir, "rules", "--rule-warmup", "10000", "--rule-readings", "40000", "--rules", "200", "--machines", "200", "--rate", "400",
                "--rate-seconds", "13");

        assertTrue(exit == 0 || exit == 1, "exit " + exit + " (2 = the stage failed): " + err);
        JsonNode result = lastJsonLine();
        assertEquals("rules", result.get("stage").asText());
        for (String field : List.of("hub_per_s", "baseline_per_s", "ratio", "p50_ms", "p99_ms", "rss_mb", "transitions")) {
            assertTrue(result.get(field).isNumber(), field + " in " + result);
        }
        // 200 machines: more than their first state and one rule each, so states went on changing
        assertTrue(result.get("transitions").asLong() > 400, "states changed: " + result);
        assertEquals(result.get("baseline_transitions").asLong(), result.get("transitions").asLong(),
                "one engine, one input: the topology and the plain loop change states alike: " + result);
        assertEquals(result.get("delay_events").asLong(), result.get("delay_matched").asLong(), result.toString());
    }

    private int bench(Path dir, String stage, String... options) throws Exception {
        Path config = dir.resolve("bench.properties");
        Files.writeString(config, "factory.home=" + HubUnderTest.REPO + "\n");
        List<String> args = new ArrayList<>(List.of(stage, "--json", "--config", config.toString()));
        args.addAll(List.of(options));
        return BenchCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
    }

    private JsonNode lastJsonLine() throws Exception {
        List<String> lines = out.toString().lines().filter(line -> line.startsWith("{")).toList();
        assertTrue(!lines.isEmpty(), "no JSON line in: " + out);
        return JSON.readTree(lines.get(lines.size() - 1));
    }
}
