package io.factoryhub.hub.buffer;

import java.util.List;

/**
 * One Kafka record waiting in the store-and-forward buffer, exactly as it will be produced.
 *
 * @param acceptedAt when the hub accepted it (epoch ms): the record's Kafka timestamp, so a drained backlog keeps the
 *                   time of the reading, not of the drain
 * @param key        null for none
 * @param value      null for a tombstone
 */
public record BufferedRecord(String topic, byte[] key, byte[] value, List<Header> headers, long acceptedAt) {

    public BufferedRecord {
        headers = List.copyOf(headers);
    }

    /** Payload size as Kafka counts it, near enough to check limits before the record is stored. */
    public int sizeInBytes() {
        int size = topic.length() + (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
        for (Header header : headers) {
            size += header.name().length() + header.value().length;
        }
        return size;
    }

    public record Header(String name, byte[] value) {
    }
}
