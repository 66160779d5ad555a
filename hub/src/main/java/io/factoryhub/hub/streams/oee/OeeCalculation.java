package io.factoryhub.hub.streams.oee;

import java.util.Iterator;
import java.util.Set;

/** One machine's {@link OeeFigures} for a window, from its {@link MachineOee} inputs (definitions there). */
final class OeeCalculation {

    private OeeCalculation() {
    }

    /**
     * @param downStates the machine states that are downtime (e.g. OFFLINE, STOPPED); any other state, or a state not
     *                   known, is running
     */
    static OeeFigures of(MachineOee machine, long start, long end, Set<String> downStates) {
        long planned = 0;
        long down = 0;
        long stateDown = 0;
        long mesDown = 0;
        // between two boundaries nothing changes: each piece is wholly one thing or the other
        Iterator<Long> times = machine.boundaries(start, end).iterator();
        long from = times.next();
        while (times.hasNext()) {
            long to = times.next();
            long length = to - from;
            long at = from;
            if (machine.downtimes.values().stream().anyMatch(d -> d.planned() && d.covers(at))) {
                planned += length;
            } else {
                String state = machine.stateAt(at);
                boolean byState = state != null && downStates.contains(state);
                boolean byMes = machine.downtimes.values().stream().anyMatch(d -> !d.planned() && d.covers(at));
                stateDown += byState ? length : 0;
                mesDown += byMes ? length : 0;
                down += byState || byMes ? length : 0;
            }
            from = to;
        }
        long good = 0;
        long scrap = 0;
        long idealTime = 0;
        for (MachineOee.Count count : machine.counts.values()) {
            if (count.at() >= start && count.at() < end) {
                good += count.good();
                scrap += count.scrap();
                idealTime += count.idealCycleMs() * (count.good() + count.scrap());
            }
        }
        return new OeeFigures(end - start, planned, down, stateDown, mesDown, good, scrap, idealTime);
    }
}
