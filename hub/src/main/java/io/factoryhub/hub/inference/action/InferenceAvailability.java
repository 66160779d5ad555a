package io.factoryhub.hub.inference.action;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.factoryhub.hub.support.MachineEventSender;
import io.factoryhub.hub.telemetry.IsoInstants;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells {@code factory.machine.events} when scoring stops and starts again: one {@code inference-unavailable} when the
 * breaker opens, one {@code inference-restored} when a trial request closes it — not one per trial that fails
 * (half-open back to open). Keyed like the hub's other own events, by the hub's name.
 */
final class InferenceAvailability {

    private static final Logger LOG = LoggerFactory.getLogger(InferenceAvailability.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MachineEventSender events;
    private final String hub;
    private final String connector;
    private final String model;
    private final String url;
    private final Clock clock;
    private final AtomicReference<String> lastFailure = new AtomicReference<>("");
    private volatile Instant unavailableSince;

    InferenceAvailability(MachineEventSender events, String hub, String connector, String model, String url, Clock clock) {
        this.events = events;
        this.hub = hub;
        this.connector = connector;
        this.model = model;
        this.url = url;
        this.clock = clock;
    }

    void watch(CircuitBreaker breaker) {
        breaker.getEventPublisher().onStateTransition(this::changed);
    }

    /** The last reason a request failed, for the unavailable event. */
    void failed(Throwable error) {
        lastFailure.set(error.getClass().getSimpleName() + ": " + error.getMessage());
    }

    private synchronized void changed(CircuitBreakerOnStateTransitionEvent event) {
        CircuitBreaker.State to = event.getStateTransition().getToState();
        Instant now = clock.instant();
        if (to == CircuitBreaker.State.OPEN && unavailableSince == null) {
            unavailableSince = now;
            LOG.warn("[{}] model {} at {} unavailable, readings pass unscored: {}", connector, model, url, lastFailure.get());
            ObjectNode body = event("inference-unavailable", now);
            body.put("reason", lastFailure.get());
            events.send(hub, body.toString());
        } else if (to == CircuitBreaker.State.CLOSED && unavailableSince != null) {
            ObjectNode body = event("inference-restored", now);
            body.put("since", IsoInstants.formatMillis(unavailableSince));
            body.put("gapSeconds", (now.toEpochMilli() - unavailableSince.toEpochMilli()) / 1000.0);
            unavailableSince = null;
            LOG.info("[{}] model {} at {} scores again", connector, model, url);
            events.send(hub, body.toString());
        }
    }

    private ObjectNode event(String type, Instant now) {
        ObjectNode body = JSON.createObjectNode();
        body.put("type", type);
        body.put("machineId", hub);
        body.put("hub", hub);
        body.put("connector", connector);
        body.put("model", model);
        body.put("url", url);
        body.put("time", IsoInstants.formatMillis(now));
        return body;
    }
}
