package io.factoryhub.hub.dashboard;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The line as every connected page sees it: the {@link LineView} and the open {@link EventStream}s under one lock, so
 * a page that connects gets each reading, anomaly and event exactly once: in its snapshot, or sent afterwards (a
 * reading both in the snapshot and in the next flush is the same point; the page keeps one).
 *
 * <p>Events to the page: {@code snapshot} on connect, {@code telemetry} (the newest reading per machine and tag
 * since the last flush), {@code anomaly} (the event as written on Kafka), {@code machine-event},
 * {@code machine-state} and {@code line-oee} (a line's newest result of a window length) at once, {@code health}
 * when a check changed.
 */
final class LiveLine {

    private final LineView view;
    private final Set<EventStream> streams = ConcurrentHashMap.newKeySet();

    LiveLine(LineView view) {
        this.view = view;
    }

    synchronized void connect(EventStream stream) {
        stream.onClose(() -> streams.remove(stream));
        stream.start(EventStream.event("snapshot", Json.write(view.snapshot())));
        streams.add(stream);
    }

    synchronized void telemetry(Telemetry reading) {
        view.record(reading);
    }

    /** Sends what changed since the last flush: the coalescing step, run every few hundred milliseconds. */
    synchronized void flush() {
        List<Telemetry> readings = view.drainReadings();
        if (!readings.isEmpty()) {
            broadcast("telemetry", readings);
        }
    }

    synchronized void anomaly(Anomaly anomaly) {
        view.anomaly(anomaly);
        broadcast("anomaly", anomaly.event());
    }

    synchronized void machineEvent(MachineEvent event) {
        view.machineEvent(event);
        broadcast("machine-event", event);
    }

    synchronized void machineState(MachineState state) {
        view.machineState(state);
        broadcast("machine-state", state);
    }

    /** A state from before the dashboard started: for a machine that has none yet. */
    synchronized void earlierState(MachineState state) {
        if (view.earlierState(state)) {
            broadcast("machine-state", state);
        }
    }

    synchronized void lineOee(LineOee oee) {
        if (view.lineOee(oee)) {
            broadcast("line-oee", oee);
        }
    }

    synchronized void health(List<CheckState> checks) {
        if (view.health(checks)) {
            broadcast("health", checks);
        }
    }

    /** Keeps idle connections open through proxies, and finds pages that left without closing. */
    synchronized void heartbeat() {
        send(EventStream.comment("heartbeat"));
    }

    /** Pages connected now. */
    int pages() {
        return streams.size();
    }

    synchronized void close() {
        streams.forEach(EventStream::close);
        streams.clear();
    }

    private void broadcast(String event, Object payload) {
        if (!streams.isEmpty()) { // nobody watching: nothing to write, not even JSON
            send(EventStream.event(event, Json.write(payload)));
        }
    }

    private void send(String frame) {
        streams.removeIf(stream -> !stream.send(frame));
    }
}
