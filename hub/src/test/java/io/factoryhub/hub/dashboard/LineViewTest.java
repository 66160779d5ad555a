package io.factoryhub.hub.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a page gets: a snapshot of everything kept, then per flush only the newest reading of each series. */
class LineViewTest {

    private final LineView view = new LineView(new LineView.Limits(120, 2, 2));

    @Test
    void should_flush_only_the_newest_reading_of_each_series_once() {
        view.record(reading("press-01", "vibration", 1000, 4.1));
        view.record(reading("press-01", "vibration", 2000, 4.2));
        view.record(reading("press-01", "temperature", 2000, 61.0));
        assertEquals(List.of(reading("press-01", "vibration", 2000, 4.2), reading("press-01", "temperature", 2000, 61.0)),
                view.drainReadings());
        assertEquals(List.of(), view.drainReadings(), "nothing new since");
        assertEquals(2, view.snapshot().machines().get(0).tags().stream()
                .filter(tag -> tag.tag().equals("vibration")).findFirst().orElseThrow().times().length, "the history keeps both");
    }

    @Test
    void should_keep_one_entry_per_machine_and_tag_newest_first() throws Exception {
        anomaly("press-01", 0.91);
        anomaly("press-02", 0.92);
        anomaly("press-01", 0.93);
        anomaly("press-03", 0.94);
        List<LineView.AnomalyGroup> listed = view.snapshot().anomalies();
        assertEquals(List.of("press-03", "press-01"), listed.stream().map(group -> group.latest().path("machineId").asText()).toList(),
                "press-02 flagged least recently: dropped from the two kept");
        assertEquals(2, listed.get(1).count());
        assertEquals(0.93, listed.get(1).latest().path("score").asDouble(), "the newest of press-01");
    }

    @Test
    void should_leave_out_series_beyond_the_bound() {
        for (int i = 0; i <= LineView.MAX_SERIES; i++) {
            view.record(reading("press-" + i, "vibration", 1000, 1.0));
        }
        assertEquals(LineView.MAX_SERIES, view.snapshot().machines().size());
        assertEquals(LineView.MAX_SERIES, view.drainReadings().size());
    }

    @Test
    void should_take_a_state_from_before_only_for_a_machine_without_one() {
        view.machineState(new MachineState("press-01", "plant-a", "line-1", "ALARM", "press-vibration", "mechanical", 2000));
        assertEquals(false, view.earlierState(new MachineState("press-01", "plant-a", "line-1", "WARNING", "press-overheating",
                "thermal", 1000)), "the transition the dashboard read is newer");
        assertEquals(true, view.earlierState(new MachineState("press-02", "plant-a", "line-1", "OFFLINE", null, null, 1000)));
        assertEquals(List.of("ALARM", "OFFLINE"), view.snapshot().states().stream().map(MachineState::state).toList());
    }

    private void anomaly(String machine, double score) throws Exception {
        view.anomaly(Anomaly.parse(("{\"type\":\"anomaly\",\"machineId\":\"" + machine + "\",\"tag\":\"vibration\",\"score\":" + score
                + ",\"model\":{\"name\":\"vibration-anomaly\",\"version\":\"1\"}}").getBytes(StandardCharsets.UTF_8)));
    }

    private static Telemetry reading(String machine, String tag, long time, double value) {
        return new Telemetry(machine, "plant-a", "line-1", tag, "vibration".equals(tag) ? "mm/s" : "degC", "GOOD", time, value);
    }
}
