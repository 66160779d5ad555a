package io.factoryhub.hub.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.factoryhub.hub.rules.RuleException;
import io.factoryhub.hub.rules.RuleJson;
import io.factoryhub.hub.streams.Reading;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The evaluation semantics on chosen clocks: event time for readings, wall time for idle and OFFLINE. */
class StateEngineTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T = 1_800_000_000_000L;

    private final LiveRules rules = new LiveRules();
    private final StateCounters counters = new StateCounters();
    private final Map<String, JsonNode> contexts = new HashMap<>();
    private final StateEngine engine = new StateEngine(new StateTimings(2_000, 5_000, 60_000), rules, counters, contexts::get);
    private final MachineState press = new MachineState("press-01", 0);
    private final List<Transition> transitions = new ArrayList<>();
    private final StateEngine.Output out = transitions::add;

    @Test
    void should_report_active_on_the_first_reading_and_a_rule_once_the_watermark_passes_it() throws Exception {
        rule("hot", "thermal", 10, "WARNING", "{\"tag\":\"temperature\",\"op\":\">\",\"value\":80}");

        read("t1", "temperature", 85, 0, 0);
        assertEquals(List.of("null>ACTIVE"), changes(), "the reading waits for the watermark (2 s out of order)");
        read("t1", "temperature", 86, 2_000, 10);

        assertEquals(List.of("null>ACTIVE", "ACTIVE>WARNING"), changes());
        assertEquals(T, transitions.get(1).sinceMs());
        assertEquals(Map.of("temperature", 85.0), transitions.get(1).values());
    }

    @Test
    void should_hold_for_its_duration_on_event_time_with_out_of_order_readings_applied_in_order() throws Exception {
        rule("hot", "thermal", 10, "WARNING", "{\"tag\":\"temperature\",\"op\":\">\",\"value\":80,\"for\":\"10s\"}");

        read("t1", "temperature", 85, 0, 0);
        read("t1", "temperature", 86, 4_000, 1);
        read("t1", "temperature", 70, 3_000, 2); // out of order, within 2 s: applied between 0 and 4 s, breaks the run
        read("t1", "temperature", 90, 8_000, 3);
        read("t1", "temperature", 91, 13_000, 4);
        assertEquals(List.of("null>ACTIVE"), changes(), "held since 4 s; watermark 11 s < 14 s");
        read("t1", "temperature", 92, 16_000, 5);

        assertEquals(List.of("null>ACTIVE", "ACTIVE>WARNING"), changes());
        assertEquals(T + 14_000, transitions.get(1).sinceMs(), "since 4 s + 10 s");
    }

    @Test
    void should_count_a_reading_older_than_the_watermark_as_late_and_not_apply_it() throws Exception {
        rule("cold", "thermal", 10, "WARNING", "{\"tag\":\"temperature\",\"op\":\"<\",\"value\":10}");

        read("t1", "temperature", 50, 0, 0);
        read("t1", "temperature", 50, 10_000, 1); // watermark 8 s
        read("t1", "temperature", 1, 5_000, 2);   // late
        read("t1", "temperature", 50, 20_000, 3);

        assertEquals(1, counters.late());
        assertEquals(List.of("null>ACTIVE"), changes(), "the late cold reading never applied");
    }

    @Test
    void should_stop_waiting_for_a_silent_source_after_the_idle_timeout() throws Exception {
        rule("hot", "thermal", 10, "WARNING", "{\"tag\":\"temperature\",\"op\":\">\",\"value\":80,\"for\":\"5s\"}");

        read("v1", "vibration", 1, 0, 0);
        for (int s = 0; s <= 10; s++) {
            read("t1", "temperature", 85, s * 1_000L, s * 100L);
        }
        assertEquals(List.of("null>ACTIVE"), changes(), "vibration's watermark (-2 s) holds the machine back");
        engine.onTick(press, 5_100, out);

        assertEquals(List.of("null>ACTIVE", "ACTIVE>WARNING"), changes(), "vibration idle: watermark 8 s >= 0 + 5 s");
        assertEquals(T + 5_000, transitions.get(1).sinceMs());
    }

    @Test
    void should_take_the_state_of_the_heaviest_group_that_holds() throws Exception {
        rule("warm", "thermal", 10, "WARNING", "{\"tag\":\"temperature\",\"op\":\">\",\"value\":80}");
        rule("shaking", "mechanical", 50, "ALARM", "{\"tag\":\"vibration\",\"op\":\">\",\"value\":6}");

        read("t1", "temperature", 85, 0, 0);
        read("t1", "vibration", 7, 1_000, 0);
        read("t1", "temperature", 85, 4_000, 0);
        read("t1", "vibration", 1, 5_000, 0);
        read("t1", "temperature", 85, 8_000, 0);
        read("t1", "vibration", 1, 9_000, 0);

        assertEquals(List.of("null>ACTIVE", "ACTIVE>WARNING", "WARNING>ALARM", "ALARM>WARNING"), changes());
        assertEquals(T + 5_000, transitions.get(3).sinceMs(), "WARNING again once vibration calmed down, not since 0 s");
    }

    @Test
    void should_go_offline_after_silence_and_back_on_the_next_reading() throws Exception {
        read("t1", "temperature", 20, 0, 0);
        engine.onTick(press, 59_000, out);
        engine.onTick(press, 60_000, out);
        read("t1", "temperature", 20, 70_000, 70_000);

        assertEquals(List.of("null>ACTIVE", "ACTIVE>OFFLINE", "OFFLINE>ACTIVE"), changes());
    }

    @Test
    void should_apply_a_rule_with_context_only_while_the_mes_context_matches() throws Exception {
        rule("brk-hot", "thermal", 10, "WARNING", "{\"tag\":\"temperature\",\"op\":\">\",\"value\":80}",
                "\"context\":{\"product_code\":\"BRK-220\"},");
        read("t1", "temperature", 85, 0, 0);
        read("t1", "temperature", 85, 3_000, 0);
        assertEquals(List.of("null>ACTIVE"), changes(), "no context: the rule does not apply");

        contexts.put("press-01", JSON.readTree("{\"product_code\":\"BRK-220\",\"work_order_id\":2}"));
        engine.onTick(press, 100, out);
        contexts.put("press-01", JSON.readTree("{\"product_code\":\"BRK-300\"}"));
        engine.onTick(press, 200, out);

        assertEquals(List.of("null>ACTIVE", "ACTIVE>WARNING", "WARNING>ACTIVE"), changes());
    }

    @Test
    void should_survive_its_codec_whole() throws Exception {
        rule("hot", "thermal", 10, "WARNING", "{\"tag\":\"temperature\",\"op\":\">\",\"value\":80,\"for\":\"10s\"}");
        read("t1", "temperature", 85, 0, 0);
        read("t1", "temperature", 85, 5_000, 0);

        MachineState copy = MachineStateCodec.decode("press-01", MachineStateCodec.encode(press), 0);

        assertEquals(MachineStateCodec.encode(press).length, MachineStateCodec.encode(copy).length);
        assertEquals(press.watermarkMs(), copy.watermarkMs());
        assertEquals(press.holding, copy.holding);
        assertEquals(press.state(), copy.state());
        assertEquals(1, copy.pending.size(), "the 5 s reading still waits");
        read("t1", "temperature", 85, 12_000, 0);
        engine.onReading(copy, new Reading("press-01", "t1", "temperature", 85, null, "GOOD", T + 12_000, null, null, null),
                T + 12_000, 0, out);
        assertEquals(transitions.get(transitions.size() - 2), transitions.get(transitions.size() - 1),
                "the copy goes on exactly as the original");
    }

    private void rule(String name, String group, int weight, String state, String condition) throws RuleException {
        rule(name, group, weight, state, condition, "");
    }

    private void rule(String name, String group, int weight, String state, String condition, String extra) throws RuleException {
        try {
            rules.put(RuleJson.read(JSON.readTree("{\"apiVersion\":\"factory-hub/v1\",\"kind\":\"Rule\",\"metadata\":{\"name\":\""
                    + name + "\"},\"spec\":{" + extra + "\"group\":\"" + group + "\",\"weight\":" + weight + ",\"state\":\""
                    + state + "\",\"when\":{\"all\":[" + condition + "]}}}")));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private void read(String device, String tag, double value, long eventOffsetMs, long wallMs) {
        engine.onReading(press, new Reading("press-01", device, tag, value, null, "GOOD", T + eventOffsetMs, "plant-a", "line-1",
                null), T + eventOffsetMs, wallMs, out);
    }

    private List<String> changes() {
        return transitions.stream().map(t -> t.from() + ">" + t.to()).toList();
    }
}
