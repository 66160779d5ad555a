package io.factoryhub.hub.inference.action;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code factory_inference_action_*} on /metrics, per connector and model: request latency, batch size, breaker state
 * (0 closed, 1 open, 2 half-open), windows scored and skipped, anomalies. Removed with the action, so a reloaded
 * Pipe does not leave stale series behind.
 */
final class InferenceMetrics implements AutoCloseable {

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Timer requests;
    private final DistributionSummary batchSize;
    private final Counter scored;
    private final Counter skippedUnavailable;
    private final Counter skippedBacklog;
    private final Counter anomalies;

    InferenceMetrics(MeterRegistry registry, String connector, String model, CircuitBreaker breaker) {
        this.registry = registry;
        Tags tags = Tags.of("connector", connector, "model", model);
        requests = add(Timer.builder("factory.inference.action.request").description("Inference requests to the model server")
                .tags(tags).publishPercentiles(0.5, 0.99).register(registry));
        batchSize = add(DistributionSummary.builder("factory.inference.action.batch.size").description("Windows per inference request")
                .tags(tags).register(registry));
        scored = add(Counter.builder("factory.inference.action.windows.scored").description("Windows the model scored")
                .tags(tags).register(registry));
        skippedUnavailable = add(Counter.builder("factory.inference.action.windows.skipped").description("Windows not scored")
                .tags(tags.and("reason", "unavailable")).register(registry));
        skippedBacklog = add(Counter.builder("factory.inference.action.windows.skipped").description("Windows not scored")
                .tags(tags.and("reason", "backlog")).register(registry));
        anomalies = add(Counter.builder("factory.inference.action.anomalies").description("Windows the model flagged anomalous")
                .tags(tags).register(registry));
        add(Gauge.builder("factory.inference.action.breaker.state", breaker, InferenceMetrics::stateCode)
                .description("Circuit breaker: 0 closed, 1 open, 2 half-open").tags(tags).register(registry));
    }

    void request(long nanos, int windows) {
        requests.record(nanos, TimeUnit.NANOSECONDS);
        batchSize.record(windows);
        scored.increment(windows);
    }

    void skippedUnavailable(int windows) {
        skippedUnavailable.increment(windows);
    }

    void skippedBacklog() {
        skippedBacklog.increment();
    }

    void anomaly() {
        anomalies.increment();
    }

    private <M extends Meter> M add(M meter) {
        meters.add(meter);
        return meter;
    }

    private static double stateCode(CircuitBreaker breaker) {
        return switch (breaker.getState()) {
            case CLOSED -> 0;
            case OPEN, FORCED_OPEN -> 1;
            case HALF_OPEN -> 2;
            default -> -1;
        };
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
