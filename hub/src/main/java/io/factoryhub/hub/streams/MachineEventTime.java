package io.factoryhub.hub.streams;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time of {@code factory.machine.events}: a state-changed event's {@code since}; any other record keeps the
 * partition's time. Machine events are written at wall-clock time, while a part reading them shares its task's stream
 * time with the telemetry, whose windows (aggregates, OEE) must close on the readings' time: after an outage the
 * backlog drains long after it was measured. Every source of the events topic needs it: Kafka Streams merges the
 * sources of one topic into one, with the first one's extractor (seen: a second source without it made aggregates
 * windows close at wall-clock time).
 */
public final class MachineEventTime implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof JsonNode event && "state-changed".equals(event.path("type").asText())) {
            try {
                return Instant.parse(event.path("since").asText()).toEpochMilli();
            } catch (DateTimeParseException e) {
                // OeeInputs says why it skips it
            }
        }
        return Math.max(partitionTime, 0);
    }
}
