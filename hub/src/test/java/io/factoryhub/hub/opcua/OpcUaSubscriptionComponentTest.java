package io.factoryhub.hub.opcua;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import io.factoryhub.hub.support.MachineEventSender;
import io.factoryhub.plant.opcua.OpcUaMachineServer;
import io.factoryhub.testkit.FreePorts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.component.kafka.KafkaConstants;
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
    /** Monitored by the route with a queue of 2 and a slow publishing interval: its queue overflows. */
    private static final String QUEUED = "plant-a/line-3/lathe-06/vibration";
    /** The value the small route fails on, as a failed Kafka write would. */
    private static final double FAILING = -1.0;
    private static final String BULK_PREFIX = "plant-b/line-9/";
    private static final int BULK = 2_000;

    record Received(String nodeId, String tag, Object value, String sourceTime, long statusCode,
                    String quality, String endpoint) {
    }

    private final List<String> bulkPaths = IntStream.range(0, BULK)
            .mapToObj(i -> BULK_PREFIX + String.format("m-%04d", i / 2) + (i % 2 == 0 ? "/vibration" : "/temperature"))
            .toList();
    private final Queue received = new Queue();
    /** Machine events handed to direct:factory-machine-events: [kafka.KEY, body]. */
    private final List<String[]> machineEvents = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
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
        port = FreePorts.next();
        server = new OpcUaMachineServer(port, pki, serverPaths());
        server.start();

        String url = server.endpointUrl();
        String small = "ns=2;s=" + VIBRATION
                + ",nsu=urn:factory-hub:plant-simulator;s=" + TEMPERATURE
                + ",ns=2;s=plant-a/line-3/lathe-05/does-not-exist";
        String bulk = bulkPaths.stream().map(p -> "ns=2;s=" + p).collect(Collectors.joining(","));
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("meters", meters);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("opcua-subscription:" + url + "?nodeIds=" + small
                        + "&samplingInterval=100&publishingInterval=100&reconnectMin=200&reconnectMax=1000")
                        .routeId("small").process(e -> {
                            record(e.getIn());
                            if (Double.valueOf(FAILING).equals(e.getIn().getBody())) {
                                throw new IllegalStateException("test: the route fails this value");
                            }
                        });
                from("opcua-subscription:" + url + "?samplingInterval=250&publishingInterval=250&nodeIds=" + bulk)
                        .routeId("bulk").process(e -> record(e.getIn()));
                from("opcua-subscription:" + url + "?nodeIds=ns=2;s=" + QUEUED
                        + "&samplingInterval=100&publishingInterval=3000&queueSize=2&connector=queued")
                        .routeId("queued-source").process(e -> record(e.getIn()));
                from(MachineEventSender.ENDPOINT).routeId("machine-events")
                        .process(e -> machineEvents.add(new String[] {
                                e.getIn().getHeader(KafkaConstants.KEY, String.class), e.getIn().getBody(String.class)}));
            }
        });
        camel.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> consumer("small").isConnected() && consumer("bulk").isConnected()
                && consumer("queued-source").isConnected());
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

        await().atMost(Duration.ofSeconds(10)).until(() -> received.hasValue("ns=2;s=" + VIBRATION, 3.25)
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
    @Order(1)
    void connectionStateIsPerCamelContext() throws Exception {
        // consumer ids are <context>/<route>@<endpoint>
        assertEquals(java.util.Set.of("small", "bulk", "queued-source"), OpcUaConnections.of(camel).snapshot().keySet()
                .stream().map(id -> id.substring(id.indexOf('/') + 1, id.indexOf('@'))).collect(Collectors.toSet()));
        assertTrue(OpcUaConnections.of(camel).allConnected());
        int nobody = FreePorts.next();
        try (CamelContext other = new DefaultCamelContext()) {
            other.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("opcua-subscription:opc.tcp://localhost:" + nobody + "?nodeIds=ns=2;s=" + VIBRATION
                            + "&reconnectMin=200&reconnectMax=200").routeId("elsewhere").log("${body}");
                }
            });
            other.start();
            assertEquals(1, OpcUaConnections.of(other).snapshot().size());
            assertFalse(OpcUaConnections.of(other).allConnected(), "nothing listens there");
            assertTrue(OpcUaConnections.of(camel).allConnected(), "another context's consumer is not this one's");
            assertEquals(3, OpcUaConnections.of(camel).snapshot().size());
        }
        assertTrue(OpcUaConnections.of(new DefaultCamelContext()).snapshot().isEmpty(), "no component, no connections");
    }

    @Test
    @Order(2)
    void badStatusMapsToQualityBad() {
        server.setValue(VIBRATION, 1.5, Instant.now());
        await().atMost(Duration.ofSeconds(10)).until(() -> received.hasValue("ns=2;s=" + VIBRATION, 1.5));

        server.setStatus(VIBRATION, new StatusCode(StatusCodes.Bad_SensorFailure));

        await().atMost(Duration.ofSeconds(10)).until(() -> received.of("ns=2;s=" + VIBRATION).stream()
                .anyMatch(r -> "BAD".equals(r.quality())));
        Received bad = received.of("ns=2;s=" + VIBRATION).stream()
                .filter(r -> "BAD".equals(r.quality())).findFirst().orElseThrow();
        assertEquals(StatusCodes.Bad_SensorFailure, bad.statusCode());

        String temperature = "nsu=urn:factory-hub:plant-simulator;s=" + TEMPERATURE;
        server.setBadWithoutValue(TEMPERATURE, new StatusCode(StatusCodes.Bad_NotConnected));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.of(temperature).stream()
                .anyMatch(r -> r.statusCode() == StatusCodes.Bad_NotConnected));
        Received withoutValue = received.of(temperature).stream()
                .filter(r -> r.statusCode() == StatusCodes.Bad_NotConnected).findFirst().orElseThrow();
        assertEquals("BAD", withoutValue.quality());
        assertNull(withoutValue.value(), "a Bad value without a value reaches the route as a null body");
    }

    @Test
    @Order(2)
    void countsValuesTheRouteFailedAsDropped() {
        assertEquals(0.0, dropped("small", "exchange-failed"));
        server.setValue(VIBRATION, FAILING, Instant.now());
        await().atMost(Duration.ofSeconds(10)).until(() -> dropped("small", "exchange-failed") == 1.0);
        server.setValue(VIBRATION, 2.5, Instant.now());
        await().atMost(Duration.ofSeconds(10)).until(() -> received.hasValue("ns=2;s=" + VIBRATION, 2.5));
        assertEquals(1.0, dropped("small", "exchange-failed"), "the next value is delivered, not dropped");
        assertEquals(0.0, dropped("small", "lane-full"));
    }

    @Test
    @Order(2)
    void countsOverflowsOfTheServerQueue() throws InterruptedException {
        String node = "ns=2;s=" + QUEUED;
        // 8 changes within one 3 s publishing interval, a queue of 2: the server discards the oldest and marks the rest
        for (int i = 1; i <= 8; i++) {
            server.setValue(QUEUED, 100.0 + i, Instant.now());
            Thread.sleep(150);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> received.hasValue(node, 108.0));
        List<Received> values = received.of(node).stream().filter(r -> r.value() instanceof Double d && d > 100).toList();
        long overflowed = values.stream().filter(r -> new StatusCode(r.statusCode()).isOverflowSet()).count();
        assertTrue(values.size() < 8, "the server's queue of 2 dropped some of 8 changes: " + values);
        assertTrue(overflowed >= 1, "values carrying the Overflow bits: " + values);
        assertTrue(values.stream().allMatch(r -> "GOOD".equals(r.quality())), "an overflow is information, not bad quality");
        assertEquals((double) overflowed, meters.get("factory.opcua.overflows").tag("connector", "queued").counter().count());
    }

    @Test
    @Order(3)
    void twoThousandNodesInOneEndpointAllDeliver() {
        Instant now = Instant.now();
        for (int i = 0; i < BULK; i++) {
            server.setValue(bulkPaths.get(i), 1000.0 + i, now);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> IntStream.range(0, BULK)
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
        await().atMost(Duration.ofSeconds(10)).until(() -> received.hasValue("ns=2;s=" + VIBRATION, 10.0));

        machineEvents.clear();
        server.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> !consumer("small").isConnected());
        assertFalse(OpcUaConnections.of(camel).allConnected());
        // raised while the server is down: one per machine, 1 + 1,000 bulk machines + 1
        await().atMost(Duration.ofSeconds(10)).until(() -> events("connection-lost").size() == 1 + BULK / 2 + 1);
        JsonNode lost = events("connection-lost").stream()
                .filter(e -> e.get("connector").asText().equals("small")).findFirst().orElseThrow();
        assertEquals("lathe-05", lost.get("machineId").asText());
        assertEquals(3, lost.get("nodes").size(), "every node of the machine in the connector, monitored or not");
        assertEquals(server.endpointUrl(), lost.get("endpoint").asText());
        assertTrue(events("connection-restored").isEmpty());

        server = new OpcUaMachineServer(port, pki, serverPaths());
        server.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> consumer("small").isConnected() && consumer("bulk").isConnected());
        server.setValue(VIBRATION, 11.0, Instant.now());
        server.setValue(bulkPaths.get(7), 77.0, Instant.now());
        await().atMost(Duration.ofSeconds(10)).until(() -> received.hasValue("ns=2;s=" + VIBRATION, 11.0)
                && received.hasValue("ns=2;s=" + bulkPaths.get(7), 77.0));
        // the registry is told on the supervisor's next tick: on a loaded machine that may come after the first values
        await().atMost(Duration.ofSeconds(10)).until(() -> OpcUaConnections.of(camel).allConnected());
        await().atMost(Duration.ofSeconds(10)).until(() -> events("connection-restored").size() == 1 + BULK / 2 + 1);
        JsonNode restored = events("connection-restored").stream()
                .filter(e -> e.get("connector").asText().equals("small")).findFirst().orElseThrow();
        assertEquals(lost.get("since"), restored.get("since"));
        assertTrue(restored.get("gapSeconds").asDouble() > 0, restored.toString());
        assertTrue(machineEvents.stream().allMatch(e -> e[0].equals(MachineEventSchema.valid(e[1]).get("machineId").asText())),
                "keyed by machine id");
    }

    private List<JsonNode> events(String type) {
        return machineEvents.stream().map(e -> MachineEventSchema.valid(e[1]))
                .filter(e -> e.get("type").asText().equals(type)).toList();
    }

    private double dropped(String connector, String reason) {
        return meters.get("factory.opcua.dropped").tag("connector", connector).tag("reason", reason).counter().count();
    }

    private List<String> serverPaths() {
        List<String> paths = new ArrayList<>(List.of(VIBRATION, TEMPERATURE, QUEUED));
        paths.addAll(bulkPaths);
        return paths;
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
}
