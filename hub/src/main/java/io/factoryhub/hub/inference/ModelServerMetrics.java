package io.factoryhub.hub.inference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.stream.DoubleStream;

/**
 * The model server in /metrics: {@code factory_inference_requests_seconds{model,status}} (every inference request on
 * a served model, by HTTP status), {@code factory_inference_model_version{model}} (the version each model serves) and
 * {@code factory_inference_model_load_failures_total{model}} (model files that did not load: a bad deployment).
 */
final class ModelServerMetrics {

    /** Enough for histogram_quantile around a batch's ~1 ms; Micrometer's own histogram has 60 per model and status. */
    private static final Duration[] BUCKETS = DoubleStream.of(0.5, 1, 2, 5, 10, 25, 50, 100, 250, 1000)
            .mapToObj(millis -> Duration.ofNanos((long) (millis * 1_000_000))).toArray(Duration[]::new);

    private final MeterRegistry registry;
    private final MultiGauge versions;

    ModelServerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.versions = MultiGauge.builder("factory.inference.model.version")
                .description("The version of each model the model server serves (the latest in the repository that loads)")
                .register(registry);
    }

    void served(Map<String, Long> servedVersions) {
        versions.register(servedVersions.entrySet().stream()
                .map(model -> MultiGauge.Row.of(Tags.of("model", model.getKey()), model.getValue()))
                .toList(), true);
    }

    void loadFailed(String model) {
        Counter.builder("factory.inference.model.load.failures")
                .description("Model files of the repository that did not load (each logged with its path and why)")
                .tag("model", model)
                .register(registry)
                .increment();
    }

    /** Only for models in the repository: the tag's values are bounded by it, not by what clients send. */
    void request(String model, int status, long nanos) {
        Timer.builder("factory.inference.requests")
                .description("Inference requests of the model server, from the body received to the response handed to the HTTP server")
                .tags("model", model, "status", Integer.toString(status))
                .serviceLevelObjectives(BUCKETS)
                .register(registry)
                .record(Duration.ofNanos(nanos));
    }
}
