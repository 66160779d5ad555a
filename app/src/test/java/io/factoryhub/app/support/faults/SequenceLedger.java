package io.factoryhub.app.support.faults;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one source sent (sequence numbers 0 … 2^31-1) against what came out of Kafka, for fault tests: sent,
 * distinct received, missing, duplicates (copies beyond the first), unexpected (received, never sent), and per key
 * (a machine, a table) whether the first copy of each sequence number arrived in increasing order. Thread-safe.
 */
public final class SequenceLedger {

    private static final int EXAMPLES = 10;

    private final String source;
    private final BitSet sent = new BitSet();
    private final BitSet received = new BitSet();
    private final Map<String, Long> lastFirstSeen = new HashMap<>();
    private final List<String> orderViolations = new ArrayList<>();
    private final List<Long> firstDuplicates = new ArrayList<>();
    private long copies;
    private long orderViolationCount;

    public SequenceLedger(String source) {
        this.source = source;
    }

    public synchronized void sent(long seq) {
        sent.set(index(seq));
    }

    /** One record out of Kafka, in the order it was read from its partition. */
    public synchronized void received(String key, long seq) {
        int i = index(seq);
        copies++;
        if (received.get(i)) {
            if (firstDuplicates.size() < EXAMPLES) {
                firstDuplicates.add(seq);
            }
            return;
        }
        received.set(i);
        Long previous = lastFirstSeen.put(key, seq);
        if (previous != null && previous > seq) {
            orderViolationCount++;
            if (orderViolations.size() < EXAMPLES) {
                orderViolations.add(key + ": " + seq + " after " + previous);
            }
        }
    }

    /** Sent sequence numbers up to {@code lastSeq} (inclusive) not received yet: what is left of a backlog. */
    public synchronized int missingThrough(long lastSeq) {
        BitSet missing = sent.get(0, index(lastSeq) + 1);
        missing.andNot(received);
        return missing.cardinality();
    }

    /** Whether any sequence number from {@code seq} on was received: data sent after a moment has arrived. */
    public synchronized boolean receivedFrom(long seq) {
        return received.nextSetBit(index(seq)) >= 0;
    }

    public synchronized Report report() {
        BitSet missing = (BitSet) sent.clone();
        missing.andNot(received);
        BitSet unexpected = (BitSet) received.clone();
        unexpected.andNot(sent);
        List<Long> firstMissing = new ArrayList<>();
        for (int i = missing.nextSetBit(0); i >= 0 && firstMissing.size() < EXAMPLES; i = missing.nextSetBit(i + 1)) {
            firstMissing.add((long) i);
        }
        int distinct = received.cardinality();
        return new Report(source, sent.cardinality(), distinct, missing.cardinality(), copies - distinct,
                unexpected.cardinality(), orderViolationCount, List.copyOf(firstMissing), List.copyOf(firstDuplicates),
                List.copyOf(orderViolations));
    }

    private static int index(long seq) {
        if (seq < 0 || seq > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("sequence number out of range: " + seq);
        }
        return (int) seq;
    }

    /**
     * @param firstMissing    up to ten missing sequence numbers, lowest first
     * @param firstDuplicates the sequence numbers of the first ten copies beyond the first, in the order they came
     * @param orderViolations up to ten first copies that arrived after a higher one of the same key
     */
    public record Report(String source, long sent, long received, long missing, long duplicates, long unexpected,
                         long outOfOrder, List<Long> firstMissing, List<Long> firstDuplicates, List<String> orderViolations) {

        /** The one line a fault test prints. */
        @Override
        public String toString() {
            return "ledger " + source + ": sent=" + sent + " received=" + received + " missing=" + missing
                    + " duplicates=" + duplicates + " unexpected=" + unexpected + " out-of-order=" + outOfOrder
                    + (firstMissing.isEmpty() ? "" : " first-missing=" + firstMissing)
                    + (firstDuplicates.isEmpty() ? "" : " first-duplicates=" + firstDuplicates)
                    + (orderViolations.isEmpty() ? "" : " order-violations=" + orderViolations);
        }
    }
}
