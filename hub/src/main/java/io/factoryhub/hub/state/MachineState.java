package io.factoryhub.hub.state;

import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Everything evaluation keeps of one machine. The wall-clock fields (when a reading last arrived, per machine and
 * per source) are not persisted: after a start they count from then, so a hub that was down does not call its
 * machines OFFLINE or its sources idle for the time it was not listening.
 */
public final class MachineState {

    /** A source's (deviceId/tag) newest event time, and when it last sent (wall clock, not persisted). */
    static final class Source {
        long maxTimeMs;
        long arrivedMs;

        Source(long maxTimeMs, long arrivedMs) {
            this.maxTimeMs = maxTimeMs;
            this.arrivedMs = arrivedMs;
        }
    }

    /** A tag's latest applied reading. */
    record TagValue(double value, long timeMs) {
    }

    final String machineId;
    String site;
    String line;
    /** The current state; null before the first reading. */
    String state;
    String rule;
    String group;
    long sinceMs;
    long watermarkMs = Long.MIN_VALUE;
    long nextSeq;
    final Map<String, Source> sources = new HashMap<>();
    final Map<String, TagValue> latest = new HashMap<>();
    /** Comparison key -> event time since which every reading of its tag satisfied it; only holding ones. */
    final Map<String, Long> holding = new HashMap<>();
    final PriorityQueue<Pending> pending = new PriorityQueue<>(Pending.ORDER);
    /** One String per tag name (not persisted): waiting readings and latest values share it, compared by identity. */
    private final Map<String, String> tagNames = new HashMap<>();
    long arrivedMs;
    /** The rule book version {@link #holding} was pruned for (not persisted). */
    long rulesVersion = -1;
    boolean dirty;

    public MachineState(String machineId, long nowMs) {
        this.machineId = machineId;
        this.arrivedMs = nowMs;
    }

    public String machineId() {
        return machineId;
    }

    /** The current state (a rule's, ACTIVE, OFFLINE); null before the first reading. */
    public String state() {
        return state;
    }

    public long watermarkMs() {
        return watermarkMs;
    }

    /** This machine's one copy of a tag's name. */
    String tag(String name) {
        return tagNames.computeIfAbsent(name, n -> n);
    }

    /** Changed since {@link #clean()}: to be written to its store. */
    public boolean dirty() {
        return dirty;
    }

    public void clean() {
        dirty = false;
    }
}
