package io.factoryhub.hub.opcua;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.factoryhub.plant.opcua.OpcUaMachineServer;
import io.factoryhub.testkit.FreePorts;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Late server start with backoff, username/password, wrong password, deadband: all against the real server. */
@Timeout(60)
class OpcUaSubscriptionOptionsTest {

    private static final String TAG = "plant-a/line-3/press-01/temperature";
    private static final String NODE = "ns=2;s=" + TAG;

    private final List<Double> values = new CopyOnWriteArrayList<>();
    private OpcUaMachineServer server;
    private CamelContext camel;

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void connectsWhenTheServerComesUpLaterAndAuthenticatesWithPassword() throws Exception {
        int port = FreePorts.next();
        startRoute("opcua-subscription:opc.tcp://localhost:" + port + "?nodeIds=" + NODE
                + "&samplingInterval=100&publishingInterval=100&username=operator&password=secret"
                + "&reconnectMin=200&reconnectMax=800");
        Thread.sleep(1_500); // several failed attempts, each a WARN with its backoff
        assertFalse(consumer().isConnected());

        server = new OpcUaMachineServer(port, Files.createTempDirectory("pki"), List.of(TAG),
                Map.of("operator", "secret"));
        server.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer().isConnected());
        server.setValue(TAG, 61.0, Instant.now());
        await().atMost(Duration.ofSeconds(10)).until(() -> values.contains(61.0));
    }

    @Test
    void wrongPasswordNeverConnects() throws Exception {
        int port = FreePorts.next();
        server = new OpcUaMachineServer(port, Files.createTempDirectory("pki"), List.of(TAG),
                Map.of("operator", "secret"));
        server.start();
        startRoute("opcua-subscription:" + server.endpointUrl() + "?nodeIds=" + NODE
                + "&username=operator&password=wrong&reconnectMin=200&reconnectMax=800");
        Thread.sleep(2_000);
        assertFalse(consumer().isConnected());
        assertTrue(values.isEmpty());
    }

    @Test
    void absoluteDeadbandSuppressesSmallChanges() throws Exception {
        server = new OpcUaMachineServer(FreePorts.next(), Files.createTempDirectory("pki"), List.of(TAG));
        server.start();
        server.setValue(TAG, 10.0, Instant.now());
        startRoute("opcua-subscription:" + server.endpointUrl() + "?nodeIds=" + NODE
                + "&samplingInterval=100&publishingInterval=100&deadband=1.0");
        await().atMost(Duration.ofSeconds(10)).until(() -> values.contains(10.0));

        server.setValue(TAG, 10.5, Instant.now());
        Thread.sleep(500); // several sampling intervals: would have been reported without the deadband
        server.setValue(TAG, 12.0, Instant.now());
        await().atMost(Duration.ofSeconds(10)).until(() -> values.contains(12.0));
        assertEquals(List.of(10.0, 12.0), values);
    }

    @Test
    void keepsTheSubscriptionAcrossAConnectionDrop() throws Exception {
        server = new OpcUaMachineServer(FreePorts.next(), Files.createTempDirectory("pki"), List.of(TAG));
        server.start();
        int serverPort = Integer.parseInt(server.endpointUrl().substring(server.endpointUrl().lastIndexOf(':') + 1));
        try (DroppingTcpProxy proxy = new DroppingTcpProxy(serverPort)) {
            startRoute("opcua-subscription:opc.tcp://localhost:" + proxy.port() + "?nodeIds=" + NODE
                    + "&samplingInterval=100&publishingInterval=100&reconnectMin=200&reconnectMax=800");
            await().atMost(Duration.ofSeconds(10)).until(() -> consumer().isConnected());
            long subscriptionId = consumer().subscriptionId();
            server.setValue(TAG, 1.0, Instant.now());
            await().atMost(Duration.ofSeconds(10)).until(() -> values.contains(1.0));

            proxy.dropConnections(); // the server keeps session and subscription
            await().atMost(Duration.ofSeconds(10)).until(() -> !consumer().isConnected());
            await().atMost(Duration.ofSeconds(20)).until(() -> consumer().isConnected());
            server.setValue(TAG, 2.0, Instant.now());
            await().atMost(Duration.ofSeconds(10)).until(() -> values.contains(2.0));
            // Milo re-activated the session (or transferred the subscription): nothing was re-created
            assertEquals(subscriptionId, consumer().subscriptionId());
        }
    }

    private void startRoute(String uri) throws Exception {
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("r").process(e -> values.add(e.getIn().getBody(Double.class)));
            }
        });
        camel.start();
    }

    private OpcUaSubscriptionConsumer consumer() {
        return (OpcUaSubscriptionConsumer) camel.getRoute("r").getConsumer();
    }
}
