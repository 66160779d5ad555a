package io.factoryhub.hub.buffer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The buffer in /metrics: {@code factory_buffer_*}. */
public final class BufferMetrics {

    private BufferMetrics() {
    }

    public static void bind(StoreAndForward buffer, MeterRegistry registry) {
        ForwardingState state = buffer.forwarding();
        Gauge.builder("factory.buffer.records", buffer, StoreAndForward::records)
                .description("Records in the store-and-forward buffer, not yet in Kafka").register(registry);
        Gauge.builder("factory.buffer.bytes", buffer, StoreAndForward::bytes)
                .description("Bytes in the store-and-forward buffer").baseUnit("bytes").register(registry);
        Gauge.builder("factory.buffer.max.bytes", buffer, StoreAndForward::maxBytes)
                .description("Limit of the store-and-forward buffer (factory.buffer.max-bytes)").baseUnit("bytes").register(registry);
        Gauge.builder("factory.buffer.oldest.age", state, ForwardingState::oldestAgeSeconds)
                .description("Age of the oldest record in the buffer, 0 when empty").baseUnit("seconds").register(registry);
        Gauge.builder("factory.buffer.drain.rate", state, ForwardingState::drainPerSecond)
                .description("Records forwarded to Kafka per second, over the last 10 s").register(registry);
        Gauge.builder("factory.buffer.full", buffer, b -> b.isFull() ? 1 : 0)
                .description("1 while the buffer is full and refuses new records").register(registry);
        FunctionCounter.builder("factory.buffer.forwarded", state, ForwardingState::forwarded)
                .description("Records the buffer forwarded to Kafka").register(registry);
        FunctionCounter.builder("factory.buffer.refused", buffer, StoreAndForward::refused)
                .description("Records refused because the buffer was full (kept by their senders)").register(registry);
        FunctionCounter.builder("factory.buffer.deadlettered", state, ForwardingState::deadLettered)
                .description("Records Kafka refused for good, sent to the dead-letter topic instead").register(registry);
        FunctionCounter.builder("factory.buffer.send.failures", state, ForwardingState::failures)
                .description("Batches Kafka did not acknowledge (sent again)").register(registry);
    }
}
