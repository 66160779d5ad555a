package io.factoryhub.hub.streams;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/** Event time of telemetry: the reading's own time; the record's timestamp when it carries none. */
public final class ReadingTime implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof Reading reading && reading.sourceTimeMs() > 0) {
            return reading.sourceTimeMs();
        }
        return record.timestamp() >= 0 ? record.timestamp() : partitionTime;
    }
}
