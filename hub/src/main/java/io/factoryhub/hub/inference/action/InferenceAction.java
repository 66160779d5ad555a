package io.factoryhub.hub.inference.action;

import io.factoryhub.hub.support.MachineEventSender;
import io.factoryhub.hub.telemetry.TelemetryEventFields;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code inference-action} kamelet's processor. Per telemetry event: adds the reading to its machine's window and,
 * once the window is full, offers it for scoring — and returns: the event passes on unchanged, never waiting for the
 * model. Scoring runs on the batcher's threads through a route of its own ({@code <connector>-inference-<n>}) whose
 * {@code circuitBreaker} EIP (Resilience4j) skips requests while the model is down; anomalies go through the hub's
 * store-and-forward buffer to {@code anomalyTopic}.
 */
public final class InferenceAction extends ServiceSupport implements Processor, CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(InferenceAction.class);
    /** Failures among this many latest requests decide whether the breaker opens. */
    private static final int BREAKER_WINDOW = 10;
    private static final int BREAKER_MINIMUM_CALLS = 5;
    /** Numbers each action's scoring route: a reloaded Pipe's new one must not meet its predecessor's, still going. */
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private CamelContext context;
    private String url;
    private String model;
    private String modelVersion;
    private int windowSize = 5;
    private int batchSize = 64;
    private int batchTimeoutMs = 10;
    private int timeoutMs = 1000;
    private int concurrentRequests = 4;
    private String inputName = "window";
    private String tags;
    private int labelOutput;
    private double anomalyLabel = 1;
    private Integer scoreOutput;
    private Double threshold;
    private String anomalyTopic = "factory.machine.anomalies";
    private int failureRateThreshold = 50;
    private int breakerOpenMs = 5000;
    private String connector = "inference";

    private Set<String> scoredTags;
    private ReadingWindows windows;
    private OipClient client;
    private AnomalyRule rule;
    private AnomalyEvents anomalies;
    private CircuitBreaker breaker;
    private InferenceAvailability availability;
    private InferenceMetrics metrics;
    private MachineEventSender events;
    private ProducerTemplate template;
    private MicroBatcher batcher;
    private volatile boolean scoringRouteAdded;
    private final int instance = INSTANCES.incrementAndGet();

    @Override
    public void process(Exchange exchange) {
        TelemetryEventFields reading = TelemetryEventFields.read(exchange.getMessage().getBody(String.class));
        if (reading == null || reading.tag() == null || Double.isNaN(reading.value()) || !"GOOD".equals(reading.quality())
                || (scoredTags != null && !scoredTags.contains(reading.tag()))) {
            return; // nothing to score; the event is not ours to judge
        }
        Window window = windows.add(reading.machineId(), reading.deviceId(), reading.tag(), reading.site(), reading.line(),
                (float) reading.value(), reading.sourceTime(), exchange.getMessage().getHeader("ce_id", String.class));
        if (window != null && !batcher.offer(window)) {
            metrics.skippedBacklog();
        }
    }

    @Override
    protected void doStart() {
        scoredTags = tags == null || tags.isBlank() ? null
                : Arrays.stream(tags.split(",")).map(String::trim).filter(t -> !t.isEmpty()).collect(Collectors.toSet());
        windows = new ReadingWindows(windowSize);
        client = new OipClient(url, model, modelVersion, inputName, Duration.ofMillis(timeoutMs));
        rule = new AnomalyRule(labelOutput, anomalyLabel, scoreOutput, threshold);
        anomalies = new AnomalyEvents(connector);
        breaker = CircuitBreaker.of(breakerName(), CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(BREAKER_WINDOW).minimumNumberOfCalls(BREAKER_MINIMUM_CALLS)
                .failureRateThreshold(failureRateThreshold)
                .waitDurationInOpenState(Duration.ofMillis(breakerOpenMs))
                .permittedNumberOfCallsInHalfOpenState(1).build());
        context.getRegistry().bind(breakerName(), breaker);
        String site = context.getPropertiesComponent().resolveProperty("factory.site").orElse("unknown");
        events = new MachineEventSender(context, connector + "-inference");
        availability = new InferenceAvailability(events, "factory-hub-" + site, connector, model, url, Clock.systemUTC());
        availability.watch(breaker);
        MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        metrics = new InferenceMetrics(registry == null ? new SimpleMeterRegistry() : registry, connector, model, breaker);
        template = context.createProducerTemplate();
        batcher = new MicroBatcher(connector, batchSize, batchTimeoutMs, concurrentRequests, this::score);
        LOG.info("[{}] scoring windows of {} readings with model {} at {} (batches of up to {}, {} ms)", connector,
                windowSize, model, client.inferUri(), batchSize, batchTimeoutMs);
    }

    /** On a batcher thread: one request through the scoring route; anomalies to Kafka. */
    private void score(List<Window> batch) {
        try {
            ensureScoringRoute();
            Exchange done = template.send(scoringEndpoint(), exchange -> exchange.getMessage().setBody(batch));
            InferenceResponse response = done.getMessage().getBody(InferenceResponse.class);
            if (response == null) {
                metrics.skippedUnavailable(batch.size());
                return;
            }
            AnomalyRule.Verdict[] verdicts = rule.apply(response, batch.size());
            Instant now = Instant.now();
            String modelName = response.modelName() == null ? model : response.modelName();
            for (int i = 0; i < verdicts.length; i++) {
                if (verdicts[i].anomalous()) {
                    Window window = batch.get(i);
                    template.sendBodyAndHeaders("factory-kafka:" + anomalyTopic,
                            anomalies.body(window, verdicts[i].score(), modelName, response.modelVersion(), now),
                            anomalies.headers(window, now));
                    metrics.anomaly();
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("[{}] a batch of {} windows was not scored: {}", connector, batch.size(), e.toString());
        }
    }

    /**
     * The route with the breaker; added on the first batch (a batcher thread, not while the calling route starts),
     * removed when the action stops.
     */
    private synchronized void ensureScoringRoute() {
        if (scoringRouteAdded) {
            return;
        }
        try {
            context.addRoutes(new RouteBuilder(context) {
                @Override
                public void configure() {
                    from(scoringEndpoint()).routeId(scoringRouteId())
                            .circuitBreaker()
                                .resilience4jConfiguration().circuitBreaker(breakerName()).end()
                                .process(InferenceAction.this::infer)
                            .onFallback()
                                .process(exchange -> exchange.getMessage().setBody(null))
                            .end();
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("cannot add the scoring route " + scoringRouteId() + ": " + e.getMessage(), e);
        }
        scoringRouteAdded = true;
    }

    /** Inside the breaker: a failure here (unreachable, timeout, non-200, an answer the rule cannot read) counts. */
    private void infer(Exchange exchange) throws IOException, InterruptedException {
        @SuppressWarnings("unchecked")
        List<Window> batch = exchange.getMessage().getBody(List.class);
        long start = System.nanoTime();
        try {
            InferenceResponse response = client.infer(batch);
            rule.apply(response, batch.size()); // an answer without the rule's outputs is the model's failure too
            metrics.request(System.nanoTime() - start, batch.size());
            exchange.getMessage().setBody(response);
        } catch (IOException | RuntimeException e) {
            availability.failed(e);
            throw e;
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (batcher != null) {
            batcher.close();
        }
        synchronized (this) {
            if (scoringRouteAdded && !context.isStopping()) {
                removeLater(scoringRouteId());
            }
            scoringRouteAdded = false;
        }
        if (events != null) {
            events.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        if (template != null) {
            template.close();
        }
        context.getRegistry().unbind(breakerName());
    }

    /**
     * The scoring route goes once the route this action belongs to has stopped: stopping a route from inside another
     * route's stop waits for the lock the first stop holds (seen as a deadlock of reload and shutdown). A stopping
     * context stops it anyway.
     */
    private void removeLater(String routeId) {
        Thread remover = new Thread(() -> {
            try {
                context.getRouteController().stopRoute(routeId);
                context.removeRoute(routeId);
            } catch (Exception e) {
                LOG.debug("[{}] scoring route {} not removed: {}", connector, routeId, e.toString());
            }
        }, "inference-route-removal-" + routeId);
        remover.setDaemon(true);
        remover.start();
    }

    private String scoringRouteId() {
        return connector + "-inference-" + instance;
    }

    private String scoringEndpoint() {
        return "direct:" + scoringRouteId();
    }

    private String breakerName() {
        return scoringRouteId() + "-breaker";
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.context = camelContext;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public void setModel(String model) {
        this.model = model;
    }

    public void setModelVersion(String modelVersion) {
        this.modelVersion = modelVersion;
    }

    public void setWindowSize(int windowSize) {
        this.windowSize = windowSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public void setBatchTimeoutMs(int batchTimeoutMs) {
        this.batchTimeoutMs = batchTimeoutMs;
    }

    public void setTimeoutMs(int timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    public void setConcurrentRequests(int concurrentRequests) {
        this.concurrentRequests = concurrentRequests;
    }

    public void setInputName(String inputName) {
        this.inputName = inputName;
    }

    public void setTags(String tags) {
        this.tags = tags;
    }

    public void setLabelOutput(int labelOutput) {
        this.labelOutput = labelOutput;
    }

    public void setAnomalyLabel(double anomalyLabel) {
        this.anomalyLabel = anomalyLabel;
    }

    public void setScoreOutput(Integer scoreOutput) {
        this.scoreOutput = scoreOutput;
    }

    public void setThreshold(Double threshold) {
        this.threshold = threshold;
    }

    public void setAnomalyTopic(String anomalyTopic) {
        this.anomalyTopic = anomalyTopic;
    }

    public void setFailureRateThreshold(int failureRateThreshold) {
        this.failureRateThreshold = failureRateThreshold;
    }

    public void setBreakerOpenMs(int breakerOpenMs) {
        this.breakerOpenMs = breakerOpenMs;
    }

    public void setConnector(String connector) {
        this.connector = connector;
    }
}
