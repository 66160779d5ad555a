package io.factoryhub.hub.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.factoryhub.hub.streams.twin.MachineTwins;

/**
 * Each machine's state as the twins hold it, for a dashboard that starts after the transitions happened (the events it
 * tails are only those from its start on): read once, as soon as the twins can be read. A transition the page got
 * already is newer and stays.
 */
final class TwinStates implements Runnable {

    private final MachineTwins twins;
    private final LiveLine live;
    private volatile boolean done;

    TwinStates(MachineTwins twins, LiveLine live) {
        this.twins = twins;
        this.live = live;
    }

    @Override
    public void run() {
        if (done) {
            return;
        }
        try {
            for (JsonNode twin : twins.all()) {
                MachineState state = MachineState.ofTwin(twin);
                if (state != null) {
                    live.earlierState(state);
                }
            }
            done = true;
        } catch (MachineTwins.Unavailable e) {
            // stream processing still starting: at the next run
        }
    }
}
