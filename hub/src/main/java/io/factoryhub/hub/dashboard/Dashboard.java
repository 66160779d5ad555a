package io.factoryhub.hub.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.hub.http.HubHttp;
import io.factoryhub.hub.streams.twin.MachineTwins;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live line dashboard on the hub's HTTP port: the page at {@code /}, its files under {@code /dashboard/}, and
 * {@value #EVENTS_PATH}, a Server-Sent Events stream fed from the factory Kafka (telemetry, anomalies, machine
 * events and states, the lines' OEE) and the hub's health checks.
 *
 * <p>What a page costs: one snapshot when it connects, then at most one {@code telemetry} message per
 * {@value #FLUSH_MS} ms (the newest reading of each machine and tag that changed), anomalies, machine events, states
 * and OEE results as they come, health when it changes, a heartbeat every {@value #HEARTBEAT_S} s. What the hub pays: one Kafka consumer
 * for all pages, and {@link LineView}'s bounded history. {@code factory_dashboard_pages} in {@code /metrics} counts
 * the pages connected.
 */
public final class Dashboard implements AutoCloseable {

    private static final String EVENTS_PATH = "/dashboard/events";
    private static final int FLUSH_MS = 250;
    private static final int HEARTBEAT_S = 15;
    private static final int HEALTH_MS = 2000;
    /**
     * 120 points: ten minutes of the simulator's 5 s readings, two at 1 s; small enough to send on every connect.
     * 20 anomaly entries (machine and tag) and 20 machine events.
     */
    private static final LineView.Limits LIMITS = new LineView.Limits(120, 20, 20);
    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);

    private final LiveLine live;
    private final FactoryTail tail;
    private final ScheduledExecutorService pump;
    private final List<Route> routes;
    private final Runnable unregisterGauge;

    private Dashboard(LiveLine live, FactoryTail tail, ScheduledExecutorService pump, List<Route> routes,
                      Runnable unregisterGauge) {
        this.live = live;
        this.tail = tail;
        this.pump = pump;
        this.routes = routes;
        this.unregisterGauge = unregisterGauge;
    }

    /**
     * Serves the dashboard on the running hub's HTTP server (Camel must have started).
     *
     * @param twins the machines' twins, for the states from before the start; null without stream processing
     */
    public static Dashboard start(HubConfig config, CamelContext context, MachineTwins twins) {
        LiveLine live = new LiveLine(new LineView(LIMITS));
        DashboardAssets assets = DashboardAssets.load();
        Router router = HubHttp.router(context);
        List<Route> routes = List.of(
                router.get(EVENTS_PATH).handler(request -> live.connect(EventStream.open(request.response()))),
                router.route("/").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(assets),
                router.route("/dashboard/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(assets));
        FactoryTail tail = new FactoryTail(config.get("factory.kafka.bootstrap-servers"), Map.of(
                config.get("factory.topic.telemetry"), (value, time) -> live.telemetry(Telemetry.parse(value, time)),
                config.get("factory.topic.anomalies"), (value, time) -> live.anomaly(Anomaly.parse(value)),
                config.get("factory.topic.events"), (value, time) -> machineEvent(live, Json.MAPPER.readTree(value), time),
                config.get("factory.topic.oee"), (value, time) -> lineOee(live, LineOee.of(value))))
                .start();
        HealthStrip health = new HealthStrip(context);
        // two threads: a health check may take a second (a TCP probe), readings must not wait behind it
        ScheduledExecutorService pump = Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "dashboard-pump");
            thread.setDaemon(true);
            return thread;
        });
        pump.scheduleWithFixedDelay(guarded("flush", live::flush), FLUSH_MS, FLUSH_MS, TimeUnit.MILLISECONDS);
        pump.scheduleWithFixedDelay(guarded("heartbeat", live::heartbeat), HEARTBEAT_S, HEARTBEAT_S, TimeUnit.SECONDS);
        pump.scheduleWithFixedDelay(guarded("health", () -> live.health(health.read())), 0, HEALTH_MS, TimeUnit.MILLISECONDS);
        if (twins != null) {
            pump.scheduleWithFixedDelay(guarded("states", new TwinStates(twins, live)), 0, HEALTH_MS, TimeUnit.MILLISECONDS);
        }
        MeterRegistry meters = context.getRegistry().findSingleByType(MeterRegistry.class);
        Gauge pages = Gauge.builder("factory.dashboard.pages", live, LiveLine::pages)
                .description("Pages connected to the line dashboard").register(meters);
        LOG.info("Line dashboard on the hub's HTTP port at /");
        return new Dashboard(live, tail, pump, routes, () -> meters.remove(pages));
    }

    /** A state change sets the machine's badge; the other events go to the events list. */
    private static void machineEvent(LiveLine live, JsonNode event, long time) throws IOException {
        if (MachineState.TYPE.equals(Json.text(event, "type"))) {
            live.machineState(MachineState.of(event, time));
        } else {
            live.machineEvent(MachineEvent.of(event, time));
        }
    }

    private static void lineOee(LiveLine live, LineOee oee) {
        if (oee != null) {
            live.lineOee(oee);
        }
    }

    /** A periodic task that survives its own failure: a scheduled task that throws is never run again. */
    private static Runnable guarded(String name, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("Dashboard {} failed: {}", name, e.toString(), e);
            }
        };
    }

    @Override
    public void close() {
        routes.forEach(Route::remove);
        unregisterGauge.run();
        pump.shutdownNow();
        tail.close();
        live.close();
    }
}
