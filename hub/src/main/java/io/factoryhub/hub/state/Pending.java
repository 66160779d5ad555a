package io.factoryhub.hub.state;

import java.util.Comparator;

/**
 * A reading waiting for its machine's watermark: applied in event-time order once the watermark passed it. It keeps
 * only what applying it takes (its source and site were taken when it arrived).
 *
 * @param seq the machine's arrival counter: orders readings of the same time
 * @param tag the machine's own copy of the tag's name ({@link MachineState#tag}), so its state record finds it fast
 */
public record Pending(long timeMs, long seq, String tag, double value) {

    static final Comparator<Pending> ORDER = Comparator.comparingLong(Pending::timeMs).thenComparingLong(Pending::seq);
}
