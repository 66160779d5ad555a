package io.factoryhub.hub.buffer;

/**
 * @param batchRecords records read, sent and trimmed together: also the most a crash or a failed send repeats
 * @param batchBytes   and at most about this many bytes per batch
 * @param sendTimeoutMs waiting longer than this for Kafka's acknowledgement reports Kafka failing (the wait goes on)
 */
record ForwarderSettings(int batchRecords, long batchBytes, int sendTimeoutMs, String deadletterTopic) {
}
