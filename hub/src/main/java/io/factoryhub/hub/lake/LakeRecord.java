package io.factoryhub.hub.lake;

import java.util.List;

/**
 * One Kafka record as the lake keeps it (one NDJSON line): where it was, when, key, headers and value as bytes.
 *
 * @param key   null when the record had none
 * @param value null for a tombstone
 */
public record LakeRecord(String topic, int partition, long offset, long timestamp, byte[] key, List<Header> headers, byte[] value) {

    /** A Kafka header; order and repeats are kept. */
    public record Header(String key, byte[] value) {
    }
}
