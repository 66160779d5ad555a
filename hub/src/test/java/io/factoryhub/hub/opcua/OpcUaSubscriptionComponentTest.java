package io.factoryhub.hub.opcua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.factoryhub.plant.opcua.OpcUaMachineServer;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The component against the plant's real Milo server, in a plain CamelContext: no mocks.
 * One server and one context for the class keep it well under a minute.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(120)
class OpcUaSubscriptionComponentTest {

    private static final String VIBRATION = "plant-a/line-3/lathe-05/vibration";
    private static final String TEMPERATURE = "plant-a/line-3/lathe-05/temperature";
    private static final String BULK_PREFIX = "plant-b/line-9/";
    private static final int BULK = 2_000;

    record Received(String nodeId, String tag, Object value, String sourceTime, long statusCode,
                    String quality, String endpoint) {
    }

    private final List<String> bulkPaths = IntStream.range(0, BULK)
            .mapToObj(i -> BULK_PREFIX + String.format("m-%04d", i / 2) + (i % 2 == 0 ? "/vibration" : "/temperature"))
            .toList();
    private final Queue received = new Queue();
    private Path pki;
    private int port;
    private OpcUaMachineServer server;
    private CamelContext camel;

    /** Everything received, by configured node id. */
    static final class Queue {
        final Map<String, ConcurrentLinkedQueue<Received>> byNode = new ConcurrentHashMap<>();

        void add(Received r) {
            byNode.computeIfAbsent(r.nodeId(), k -> new ConcurrentLinkedQueue<>()).add(r);
        }

        List<Received> of(String nodeId) {
            return new ArrayList<>(byNode.getOrDefault(nodeId, new ConcurrentLinkedQueue<>()));
        }

        boolean hasValue(String nodeId, double value) {
            return of(nodeId).stream().anyMatch(r -> Double.valueOf(value).equals(r.value()));
        }
    }

    @BeforeAll
    void start() throws Exception {
        pki = Files.createTempDirectory("opcua-pki");
        port = freePort();
        List<String> paths = new ArrayList<>(List.of(VIBRATION, TEMPERATURE));
        paths.addAll(bulkPaths);
        server = new OpcUaMachineServer(port, pki, paths);
        server.start();

        String url = server.endpointUrl();
        String small = "ns=2;s=" + VIBRATION
                + ",nsu=urn:factory-hub:plant-simulator;s=" + TEMPERATURE
                + ",ns=2;s=plant-a/line-3/lathe-05/does-not-exist";
        String bulk = bulkPaths.stream().map(p -> "ns=2;s=" + p).collect(Collectors.joining(","));
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("opcua-subscription:" + url + "?nodeIds=" + small
                        + "&samplingInterval=100&publishingInterval=100&reconnectMin=200&reconnectMax=1000")
                        .routeId("small").process(e -> record(e.getIn()));
                from("opcua-subscription:" + url + "?samplingInterval=250&publishingInterval=250&nodeIds=" + bulk)
                        .routeId("bulk").process(e -> record(e.getIn()));
            }
        });
        camel.start();
        await(Duration.ofSeconds(20), () -> consumer("small").isConnected() && consumer("bulk").isConnected());
    }

    @AfterAll
    void stop() {
        if (camel != null) {
            camel.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void valuesArriveWithNodeIdSourceTimeAndQuality() {
        Instant sourceTime = Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.MILLIS);
        server.setValue(VIBRATION, 3.25, sourceTime);
        server.setValue(TEMPERATURE, 47.5, sourceTime.plusMillis(1));

        await(Duration.ofSeconds(10), () -> received.hasValue("ns=2;s=" + VIBRATION, 3.25)
                && received.hasValue("nsu=urn:factory-hub:plant-simulator;s=" + TEMPERATURE, 47.5));

        Received vibration = find("ns=2;s=" + VIBRATION, 3.25);
        assertEquals("vibration", vibration.tag());
        assertEquals(sourceTime.toString(), vibration.sourceTime());
        assertEquals("GOOD", vibration.quality());
        assertEquals(0L, vibration.statusCode());
        assertEquals(server.endpointUrl(), vibration.endpoint());

        Received temperature = find("nsu=urn:factory-hub:plant-simulator;s=" + TEMPERATURE, 47.5);
        assertEquals("temperature", temperature.tag());
        assertEquals(sourceTime.plusMillis(1).toString(), temperature.sourceTime());
        // the node that does not exist is logged and never delivers
        assertTrue(received.of("ns=2;s=plant-a/line-3/lathe-05/does-not-exist").isEmpty());
    }

    @Test
    @Order(2)
    void badStatusMapsToQualityBad() {
        server.setValue(VIBRATION, 1.5, Instant.now());
        await(Duration.ofSeconds(10), () -> received.hasValue("ns=2;s=" + VIBRATION, 1.5));

        server.setStatus(VIBRATION, new StatusCode(StatusCodes.Bad_SensorFailure));

        await(Duration.ofSeconds(10), () -> received.of("ns=2;s=" + VIBRATION).stream()
                .anyMatch(r -> "BAD".equals(r.quality())));
        Received bad = received.of("ns=2;s=" + VIBRATION).stream()
                .filter(r -> "BAD".equals(r.quality())).findFirst().orElseThrow();
        assertEquals(StatusCodes.Bad_SensorFailure, bad.statusCode());
    }

    @Test
    @Order(3)
    void twoThousandNodesInOneEndpointAllDeliver() {
        Instant now = Instant.now();
        for (int i = 0; i < BULK; i++) {
            server.setValue(bulkPaths.get(i), 1000.0 + i, now);
        }
        await(Duration.ofSeconds(20), () -> IntStream.range(0, BULK)
                .allMatch(i -> received.hasValue("ns=2;s=" + bulkPaths.get(i), 1000.0 + i)));
        Received last = find("ns=2;s=" + bulkPaths.get(BULK - 1), 1000.0 + BULK - 1);
        assertEquals("temperature", last.tag());
        assertEquals("GOOD", last.quality());
        assertEquals(now.truncatedTo(ChronoUnit.MICROS), Instant.parse(last.sourceTime()).truncatedTo(ChronoUnit.MICROS));
    }

    @Test
    @Order(4) // last: it replaces the server
    void resumesAfterServerRestartWithoutRestartingTheRoute() throws Exception {
        server.setValue(VIBRATION, 10.0, Instant.now());
        await(Duration.ofSeconds(10), () -> received.hasValue("ns=2;s=" + VIBRATION, 10.0));

        server.close();
        await(Duration.ofSeconds(10), () -> !consumer("small").isConnected());
        assertFalse(OpcUaConnectionRegistry.allConnected());

        List<String> paths = new ArrayList<>(List.of(VIBRATION, TEMPERATURE));
        paths.addAll(bulkPaths);
        server = new OpcUaMachineServer(port, pki, paths);
        server.start();

        await(Duration.ofSeconds(30), () -> consumer("small").isConnected() && consumer("bulk").isConnected());
        server.setValue(VIBRATION, 11.0, Instant.now());
        server.setValue(bulkPaths.get(7), 77.0, Instant.now());
        await(Duration.ofSeconds(10), () -> received.hasValue("ns=2;s=" + VIBRATION, 11.0)
                && received.hasValue("ns=2;s=" + bulkPaths.get(7), 77.0));
        assertTrue(OpcUaConnectionRegistry.allConnected());
    }

    private void record(Message in) {
        received.add(new Received(
                in.getHeader(OpcUaHeaders.NODE_ID, String.class),
                in.getHeader(OpcUaHeaders.BROWSE_NAME, String.class),
                in.getBody(),
                in.getHeader(OpcUaHeaders.SOURCE_TIME, String.class),
                in.getHeader(OpcUaHeaders.STATUS_CODE, Long.class),
                in.getHeader(OpcUaHeaders.QUALITY, String.class),
                in.getHeader(OpcUaHeaders.ENDPOINT, String.class)));
    }

    private Received find(String nodeId, double value) {
        return received.of(nodeId).stream().filter(r -> Double.valueOf(value).equals(r.value()))
                .findFirst().orElseThrow();
    }

    private OpcUaSubscriptionConsumer consumer(String routeId) {
        return (OpcUaSubscriptionConsumer) camel.getRoute(routeId).getConsumer();
    }

    private static void await(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
