package io.factoryhub.hub.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Down while a connector is stalled: messages wait and none completed for {@code stallAfterMillis}, or it holds its
 * input (the buffer is full). Up when every connector moves, idle ones included.
 */
public final class StalledConnectorsCheck extends ReadinessCheck {

    private final ConnectorProgress progress;
    private final long stallAfterMillis;

    public StalledConnectorsCheck(ConnectorProgress progress, long stallAfterMillis) {
        super("connectors");
        this.progress = progress;
        this.stallAfterMillis = stallAfterMillis;
    }


    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<String> stalled = new ArrayList<>();
        progress.trackers().forEach((connector, tracker) -> {
            long quiet = tracker.millisSinceProgress();
            if (tracker.heldBecause() != null) {
                stalled.add(connector + " holds its input: " + tracker.heldBecause());
                builder.detail(connector, "held");
            } else if (tracker.waiting() > 0 && quiet > stallAfterMillis) {
                stalled.add(connector + ": " + tracker.waiting() + " message(s) waiting, none completed for " + quiet / 1000 + " s");
                builder.detail(connector, "stalled");
            } else {
                builder.detail(connector, "moving");
            }
        });
        if (stalled.isEmpty()) {
            builder.up();
        } else {
            builder.message(String.join("; ", stalled));
            builder.down();
        }
    }
}
