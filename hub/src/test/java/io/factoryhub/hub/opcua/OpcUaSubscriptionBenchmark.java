package io.factoryhub.hub.opcua;

import io.factoryhub.testkit.Waits;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.factoryhub.plant.opcua.OpcUaMachineServer;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a unit test: a measurement run on demand.
 * {@code mvn -B -o test -pl hub -Dtest=OpcUaSubscriptionBenchmark -Dopcua.benchmark=true}
 * (optional {@code -Dopcua.benchmark.items=20000 -Dopcua.benchmark.seconds=30 -Dopcua.benchmark.uri=true}).
 *
 * <p>20,000 monitored items at 1 s sampling / 1 s publishing in one endpoint; the server sets every
 * variable once a second with sourceTime = now. Reports latency = arrival in the route - sourceTime
 * and items/s received after a warm-up.
 */
@EnabledIfSystemProperty(named = "opcua.benchmark", matches = "true")
class OpcUaSubscriptionBenchmark {

    @Test
    void twentyThousandItemsAtOneSecond() throws Exception {
        int items = Integer.getInteger("opcua.benchmark.items", 20_000);
        int seconds = Integer.getInteger("opcua.benchmark.seconds", 30);
        List<String> paths = new ArrayList<>(items);
        for (int i = 0; i < items; i++) {
            paths.add(String.format("bench/line-%02d/machine-%04d/%s", i / 1000, i / 2,
                    i % 2 == 0 ? "vibration" : "temperature"));
        }
        List<String> nodeIds = paths.stream().map(p -> "ns=2;s=" + p).toList();

        OpcUaMachineServer server = new OpcUaMachineServer(48400, Files.createTempDirectory("bench-pki"), paths);
        long t0 = System.nanoTime();
        server.start();
        System.out.printf("server with %d variables started in %d ms%n", items, (System.nanoTime() - t0) / 1_000_000);
        System.gc();
        Runtime heap = Runtime.getRuntime();
        System.out.printf("RESULT heap after server start + GC: %d MB%n", (heap.totalMemory() - heap.freeMemory()) >> 20);

        // producer: every second all variables get a new value with sourceTime = now
        ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor();
        AtomicLong round = new AtomicLong();
        AtomicLong updateMillis = new AtomicLong();
        producer.scheduleAtFixedRate(() -> {
            long r = round.incrementAndGet();
            long start = System.nanoTime();
            for (int i = 0; i < items; i++) {
                server.setValue(paths.get(i), r * 1_000_000.0 + i, Instant.now());
            }
            updateMillis.set((System.nanoTime() - start) / 1_000_000);
        }, 0, 1, TimeUnit.SECONDS);

        AtomicBoolean measuring = new AtomicBoolean();
        AtomicLong received = new AtomicLong();
        long[] latencies = new long[items * (seconds + 5) * 2];
        AtomicLong count = new AtomicLong();

        CamelContext camel = new DefaultCamelContext();
        camel.getRegistry().bind("benchNodeIds", nodeIds);
        // -Dopcua.benchmark.uri=true puts all node ids into the URI itself (about 1 MB) instead of a bean
        String nodeIdsOption = Boolean.getBoolean("opcua.benchmark.uri") ? String.join(",", nodeIds) : "#benchNodeIds";
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("opcua-subscription:" + server.endpointUrl()
                        + "?nodeIds=" + nodeIdsOption + "&samplingInterval=1000&publishingInterval=1000&queueSize=10")
                        .routeId("bench")
                        .process(e -> {
                            long now = System.currentTimeMillis();
                            received.incrementAndGet();
                            if (measuring.get()) {
                                Instant source = Instant.parse(e.getIn().getHeader(OpcUaHeaders.SOURCE_TIME, String.class));
                                int slot = (int) count.getAndIncrement();
                                if (slot < latencies.length) {
                                    latencies[slot] = now - source.toEpochMilli();
                                }
                            }
                        });
            }
        });
        t0 = System.nanoTime();
        camel.start();
        OpcUaSubscriptionConsumer consumer = (OpcUaSubscriptionConsumer) camel.getRoute("bench").getConsumer();
        Waits.atMost(Duration.ofMinutes(5)).until(consumer::isConnected);
        System.out.printf("subscription with %d items created in %d ms%n", items, (System.nanoTime() - t0) / 1_000_000);

        Thread.sleep(10_000); // warm-up
        long receivedBefore = received.get();
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        measuring.set(false);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long got = received.get() - receivedBefore;

        int n = (int) Math.min(count.get(), latencies.length);
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        Runtime rt = Runtime.getRuntime();
        System.out.printf("RESULT items=%d seconds=%.1f received=%d rate=%.0f items/s expected=%d items/s%n",
                items, elapsed, got, got / elapsed, items);
        System.out.printf("RESULT latency ms (arrival - sourceTime): p50=%d p90=%d p99=%d p99.9=%d max=%d min=%d n=%d%n",
                pct(sorted, 0.50), pct(sorted, 0.90), pct(sorted, 0.99), pct(sorted, 0.999),
                sorted[n - 1], sorted[0], n);
        System.out.printf("RESULT dropped=%d lastServerUpdateRound=%d ms heapUsed=%d MB%n",
                consumer.droppedCount(), updateMillis.get(), (rt.totalMemory() - rt.freeMemory()) >> 20);

        camel.stop();
        producer.shutdownNow();
        server.close();
    }

    private static long pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
