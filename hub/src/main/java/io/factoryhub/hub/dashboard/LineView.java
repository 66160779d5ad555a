package io.factoryhub.hub.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the page shows, held by the hub: per machine and tag the newest readings and the latest anomaly, the latest
 * machine events, each machine's state, each line's newest OEE per window length, the health checks. A page that connects gets all of it at once ({@link #snapshot}); afterwards
 * only the newest reading of each series that changed ({@link #drainReadings}), so a tag read ten times a second
 * costs the page at most one update per flush. Not thread-safe: {@link LiveLine} guards it.
 */
final class LineView {

    /** How much the hub keeps (points per series, machine-and-tag anomaly entries, events); the page keeps as much. */
    record Limits(int history, int anomalies, int events) {
    }

    record Machine(String machineId, String site, String line, List<Series.View> tags) {
    }

    /** The newest anomaly event of one machine and tag, and how many came for it while it stayed in the list. */
    record AnomalyGroup(int count, JsonNode latest) {
    }

    record Snapshot(Limits limits, List<Machine> machines, List<AnomalyGroup> anomalies, List<MachineEvent> events,
                    List<MachineState> states, List<LineOee> oee, List<CheckState> health) {
    }

    /**
     * A bound on memory (10,000 series = 2 tags on each of 5,000 machines, ~20 MB at 120 points): a connector that
     * mints a machine id per message must not grow the hub's heap without end.
     */
    static final int MAX_SERIES = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(LineView.class);

    private final Limits limits;
    private final Map<String, MachineSeries> machines = new TreeMap<>();
    private final Map<String, Telemetry> pending = new LinkedHashMap<>();
    /** By machine and tag, the least recently flagged first: a machine flagged every second fills one entry, not all. */
    private final Map<String, AnomalyGroup> anomalies = new LinkedHashMap<>();
    private final Deque<MachineEvent> events = new ArrayDeque<>();
    /** By machine: as many as there are series at most, so a machine id per event cannot grow it without end. */
    private final Map<String, MachineState> states = new TreeMap<>();
    /** By site, line and window length; as bounded as the lines are. */
    private final Map<String, LineOee> oee = new TreeMap<>();
    private List<CheckState> health = List.of();
    private int series;
    private boolean full;

    private static final class MachineSeries {
        String site;
        String line;
        final Map<String, Series> tags = new TreeMap<>();
    }

    LineView(Limits limits) {
        this.limits = limits;
    }

    void record(Telemetry reading) {
        MachineSeries machine = machines.get(reading.machineId());
        Series tag = machine == null ? null : machine.tags.get(reading.tag());
        if (tag == null) {
            if (series == MAX_SERIES) {
                if (!full) {
                    full = true;
                    LOG.warn("Dashboard shows at most {} series (machine and tag); {}/{} and later new ones are left out",
                            MAX_SERIES, reading.machineId(), reading.tag());
                }
                return;
            }
            machine = machines.computeIfAbsent(reading.machineId(), id -> new MachineSeries());
            tag = new Series(limits.history());
            machine.tags.put(reading.tag(), tag);
            series++;
        }
        machine.site = reading.site();
        machine.line = reading.line();
        tag.add(reading);
        pending.put(reading.machineId() + '\u0000' + reading.tag(), reading);
    }

    /** The newest reading of each series that got one since the last call, in the order they first changed. */
    List<Telemetry> drainReadings() {
        List<Telemetry> readings = new ArrayList<>(pending.values());
        pending.clear();
        return readings;
    }

    void anomaly(Anomaly anomaly) {
        String key = anomaly.machineId() + '\u0000' + anomaly.tag();
        AnomalyGroup before = anomalies.remove(key);
        anomalies.put(key, new AnomalyGroup(before == null ? 1 : before.count() + 1, anomaly.event()));
        if (anomalies.size() > limits.anomalies()) {
            anomalies.remove(anomalies.keySet().iterator().next());
        }
    }

    void machineEvent(MachineEvent event) {
        events.addFirst(event);
        if (events.size() > limits.events()) {
            events.removeLast();
        }
    }

    void machineState(MachineState state) {
        if (states.size() < MAX_SERIES || states.containsKey(state.machineId())) {
            states.put(state.machineId(), state);
        }
    }

    /** @return whether it is the machine's state now: it had none */
    boolean earlierState(MachineState state) {
        if (states.containsKey(state.machineId()) || states.size() >= MAX_SERIES) {
            return false;
        }
        states.put(state.machineId(), state);
        return true;
    }

    /** @return whether it is now its line's newest result of that window length (a replayed older window is not) */
    boolean lineOee(LineOee result) {
        String key = result.site() + '\u0000' + result.line() + '\u0000' + result.minutes();
        LineOee current = oee.get(key);
        if ((current != null && current.end() > result.end()) || (current == null && oee.size() >= MAX_SERIES)) {
            return false;
        }
        oee.put(key, result);
        return true;
    }

    /** @return whether anything changed since the last call */
    boolean health(List<CheckState> checks) {
        boolean changed = !checks.equals(health);
        health = List.copyOf(checks);
        return changed;
    }

    Snapshot snapshot() {
        List<Machine> views = new ArrayList<>(machines.size());
        machines.forEach((id, machine) -> views.add(new Machine(id, machine.site, machine.line,
                machine.tags.entrySet().stream().map(tag -> tag.getValue().view(tag.getKey())).toList())));
        List<AnomalyGroup> newestFirst = new ArrayList<>(anomalies.values());
        Collections.reverse(newestFirst);
        return new Snapshot(limits, views, newestFirst, List.copyOf(events), List.copyOf(states.values()),
                List.copyOf(oee.values()), health);
    }
}
