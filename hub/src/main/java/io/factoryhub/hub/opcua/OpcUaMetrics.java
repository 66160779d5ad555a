package io.factoryhub.hub.opcua;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import org.apache.camel.CamelContext;

/**
 * What one OPC-UA connector lost, in {@code /metrics}: {@code factory_opcua_overflows_total{connector}} counts values
 * whose StatusCode has the Overflow bits (the server's monitored-item queue was full, older values are gone), and
 * {@code factory_opcua_dropped_total{connector,reason}} counts values the hub itself did not deliver. All counters
 * are registered at start, so a dashboard sees 0 rather than nothing.
 */
final class OpcUaMetrics {

    /** Why the hub dropped a value; the {@code reason} tag. */
    enum DropReason {
        /** the route did not keep up and the lane stayed full (backpressure timed out) */
        LANE_FULL("lane-full"),
        /** the route failed the exchange (e.g. Kafka did not acknowledge in time) */
        EXCHANGE_FAILED("exchange-failed"),
        /** queued when the connector stopped (reload, shutdown) */
        STOPPED("stopped");

        private final String tag;

        DropReason(String tag) {
            this.tag = tag;
        }
    }

    private final Counter overflows;
    private final Map<DropReason, Counter> dropped = new EnumMap<>(DropReason.class);

    private OpcUaMetrics(MeterRegistry registry, String connector) {
        overflows = Counter.builder("factory.opcua.overflows")
                .description("OPC-UA values whose StatusCode carries the Overflow bits: the server's queue overflowed")
                .tag("connector", connector).register(registry);
        for (DropReason reason : DropReason.values()) {
            dropped.put(reason, Counter.builder("factory.opcua.dropped")
                    .description("OPC-UA values the hub received and did not deliver")
                    .tag("connector", connector).tag("reason", reason.tag).register(registry));
        }
    }

    /** On the Camel registry's MeterRegistry, as the normalizer's counters; a private one when there is none. */
    static OpcUaMetrics register(CamelContext context, String connector) {
        MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        return new OpcUaMetrics(registry == null ? new SimpleMeterRegistry() : registry, connector);
    }

    void overflow() {
        overflows.increment();
    }

    void dropped(DropReason reason, long count) {
        dropped.get(reason).increment(count);
    }
}
