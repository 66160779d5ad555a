package io.factoryhub.bench;

import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.Route;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Component;
import org.apache.camel.main.Main;

/**
 * The peer column of {@code bench ingest}: {@code peer/industrial-edge.camel.yaml} (the Industrial Edge pattern's
 * MQTT -> Kafka route, see the file) loaded by a plain Camel Main of its own, in the bench's JVM like the hub's
 * column, started before its part and stopped after it.
 *
 * <p>Nothing of the hub's is bound into it: the hub puts its {@code DurableMqtt5Component} under the name
 * {@code paho-mqtt5} only into its own Main's registry, so this context resolves Camel's own component from the
 * classpath. The constructor checks that (and that the route started), because a peer silently running the hub's
 * consumer would measure the hub twice.
 */
final class IndustrialEdgePeer implements AutoCloseable {

    static final String ROUTE_FILE = "classpath:peer/industrial-edge.camel.yaml";
    static final String ROUTE_ID = "industrial-edge";

    private final Main main = new Main();

    IndustrialEdgePeer(String brokerUrl, String mqttTopic, String bootstrapServers, String kafkaTopic) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("peer.mqtt.broker-url", brokerUrl);
        properties.setProperty("peer.mqtt.topic", mqttTopic);
        properties.setProperty("peer.kafka.brokers", bootstrapServers);
        properties.setProperty("peer.kafka.topic", kafkaTopic);
        main.setInitialProperties(properties);
        main.configure().withRoutesIncludePattern(ROUTE_FILE);
        try {
            main.start();
            requireCamelsOwnRoute(main.getCamelContext());
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    private static void requireCamelsOwnRoute(CamelContext context) {
        Component mqtt = context.getComponent("paho-mqtt5");
        if (mqtt == null || mqtt.getClass() != PahoMqtt5Component.class) {
            throw new IllegalStateException("the peer must run Camel's own paho-mqtt5, not " + (mqtt == null ? "none" : mqtt.getClass()));
        }
        Route route = context.getRoute(ROUTE_ID);
        if (route == null || !context.getRouteController().getRouteStatus(ROUTE_ID).isStarted()) {
            throw new IllegalStateException("the peer did not start route " + ROUTE_ID + " from " + ROUTE_FILE + "; routes: "
                    + context.getRoutes().stream().map(Route::getRouteId).toList());
        }
    }

    /** What a profile of the peer is read against: its components' classes and Camel's per-exchange settings. */
    String describe() {
        CamelContext context = main.getCamelContext();
        return "%s from %s, components %s / %s, stream caching %s".formatted(ROUTE_ID, ROUTE_FILE,
                context.getComponent("paho-mqtt5").getClass().getName(), context.getComponent("kafka").getClass().getName(),
                context.isStreamCaching());
    }

    /** Camel's graceful stop: the consumer first, in-flight exchanges drained. */
    @Override
    public void close() {
        main.stop();
    }
}
