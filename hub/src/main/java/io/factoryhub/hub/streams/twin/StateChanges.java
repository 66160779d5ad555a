package io.factoryhub.hub.streams.twin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.kstream.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules' transitions among the machine events (the others, connection-lost and the like, are not states). One
 * without the state it changed to, or not JSON, is skipped and logged: the first, then one line per thousand.
 */
final class StateChanges implements Predicate<String, JsonNode> {

    private static final Logger LOG = LoggerFactory.getLogger(StateChanges.class);
    private static final String TYPE = "state-changed";

    /** Of every stream thread: one predicate serves the topology. */
    private final AtomicLong skipped = new AtomicLong();

    @Override
    public boolean test(String machineId, JsonNode event) {
        if (event != null && !TYPE.equals(event.path("type").asText())) {
            return false;
        }
        if (machineId != null && event != null && event.path("to").isTextual()) {
            return true;
        }
        long count = skipped.incrementAndGet();
        if (count % 1000 == 1) {
            LOG.warn("Twin skipped {} machine event(s) that are not a state change it can read so far, e.g. key {}: {}",
                    count, machineId, event == null ? "not JSON" : event);
        }
        return false;
    }
}
