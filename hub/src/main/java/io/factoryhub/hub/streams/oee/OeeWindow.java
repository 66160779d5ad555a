package io.factoryhub.hub.streams.oee;

import java.time.Duration;
import java.util.List;

/** The OEE windows: tumbling, aligned on the epoch (UTC quarter hours and hours). */
enum OeeWindow {
    QUARTER_HOUR("15m", Duration.ofMinutes(15)), HOUR("1h", Duration.ofHours(1));

    static final List<OeeWindow> ALL = List.of(values());

    private final String label;
    private final long sizeMs;

    OeeWindow(String label, Duration size) {
        this.label = label;
        this.sizeMs = size.toMillis();
    }

    String label() {
        return label;
    }

    long sizeMs() {
        return sizeMs;
    }

    static OeeWindow of(String label) {
        for (OeeWindow window : ALL) {
            if (window.label.equals(label)) {
                return window;
            }
        }
        throw new IllegalArgumentException("no OEE window " + label);
    }

    /** The smallest: every window of every size closes at one of its boundaries. */
    static OeeWindow smallest() {
        return QUARTER_HOUR;
    }
}
