package io.factoryhub.hub.streams.oee;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one machine's open OEE windows are computed from: its state timeline, MES production counts and downtime
 * events (each by its MES id, so a change event read twice changes nothing), and where its next windows start.
 * Kept in the {@code oee-machines} store; {@link #prune} drops what only closed windows needed.
 */
final class MachineOee {

    /** One production_counts row: parts counted at {@code at}, of a product with this ideal cycle time. */
    record Count(long at, long good, long scrap, long idealCycleMs) {
    }

    /** One downtime_events row; {@code end} null while it lasts. */
    record Downtime(long start, Long end, boolean planned) {

        boolean covers(long time) {
            return start <= time && (end == null || time < end);
        }
    }

    String site;
    String line;
    /** The earliest time an input spoke of: where the machine's windows begin. */
    Long firstMs;
    /** since (epoch ms) → the state that began then; Long.MIN_VALUE → the state before the first event. */
    final TreeMap<Long, String> states = new TreeMap<>();
    final Map<String, Count> counts = new HashMap<>();
    final Map<String, Downtime> downtimes = new HashMap<>();
    /** Starts of the quarter hours in which the machine sent telemetry (OeeWindows notes each once). */
    final TreeSet<Long> readingQuarters = new TreeSet<>();
    /** window size (ms) → start of the next window of that size to report. */
    final Map<Long, Long> nextWindow = new HashMap<>();

    void noteTime(long time) {
        firstMs = firstMs == null ? time : Math.min(firstMs, time);
    }

    void stateChanged(long since, String from, String to) {
        if (states.isEmpty() && from != null) {
            states.put(Long.MIN_VALUE, from);
        }
        states.put(since, to);
        noteTime(since);
    }

    /** The state at {@code time}; null when it is not known (before the first event and without its "from"). */
    String stateAt(long time) {
        Map.Entry<Long, String> entry = states.floorEntry(time);
        return entry == null ? null : entry.getValue();
    }

    /**
     * The start of the next window of {@code sizeMs} to report, from the window of the first input on; null while the
     * machine has no input.
     */
    Long nextWindow(long sizeMs) {
        Long next = nextWindow.get(sizeMs);
        if (next == null && firstMs != null) {
            next = Math.floorDiv(firstMs, sizeMs) * sizeMs;
            nextWindow.put(sizeMs, next);
        }
        return next;
    }

    /** Every time in [start, end) at which the machine's state or a downtime begins or ends, with start and end. */
    Set<Long> boundaries(long start, long end) {
        TreeSet<Long> times = new TreeSet<>();
        times.add(start);
        times.add(end);
        times.addAll(states.subMap(start, false, end, false).keySet());
        for (Downtime downtime : downtimes.values()) {
            addWithin(times, downtime.start(), start, end);
            if (downtime.end() != null) {
                addWithin(times, downtime.end(), start, end);
            }
        }
        return times;
    }

    private static void addWithin(Set<Long> times, long time, long start, long end) {
        if (time > start && time < end) {
            times.add(time);
        }
    }

    /**
     * Whether nothing is known of [start, end): the machine OFFLINE, its state not known or no reading from it, all
     * through, no count and no MES downtime in it. A machine switched off, gone, or known only from old MES rows would otherwise be reported
     * as all downtime (or all running) every window.
     */
    boolean silentThroughout(long start, long end, String offline) {
        String state = stateAt(start);
        return (state == null || state.equals(offline) || readingQuarters.subSet(start, true, end, false).isEmpty())
                && states.subMap(start, false, end, false).isEmpty()
                && counts.values().stream().noneMatch(count -> count.at() >= start && count.at() < end)
                && downtimes.values().stream().noneMatch(d -> d.start() < end && (d.end() == null || d.end() > start));
    }

    /** Drops what no window from {@code horizon} on needs; keeps the state in effect at the horizon. */
    void prune(long horizon) {
        Long inEffect = states.floorKey(horizon);
        if (inEffect != null) {
            states.headMap(inEffect, false).clear();
        }
        counts.values().removeIf(count -> count.at() < horizon);
        readingQuarters.headSet(horizon).clear();
        downtimes.values().removeIf(downtime -> downtime.end() != null && downtime.end() <= horizon);
    }
}
