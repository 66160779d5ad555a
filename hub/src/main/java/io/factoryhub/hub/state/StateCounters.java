package io.factoryhub.hub.state;

import java.util.concurrent.atomic.LongAdder;

/** What evaluation counted, for the metrics: shared by every task of one hub. */
public final class StateCounters {

    /** Control-topic records that are not a valid rule. */
    public final LongAdder refusedRules = new LongAdder();
    final LongAdder readings = new LongAdder();
    final LongAdder late = new LongAdder();
    final LongAdder transitions = new LongAdder();
    final LongAdder applied = new LongAdder();

    /** Readings evaluated: every one that arrived, late ones included. */
    public long readings() {
        return readings.sum();
    }

    /** Readings older than their machine's watermark: not applied. */
    public long late() {
        return late.sum();
    }

    public long transitions() {
        return transitions.sum();
    }

    /** Readings applied to their machine's state, in event-time order. */
    public long applied() {
        return applied.sum();
    }
}
