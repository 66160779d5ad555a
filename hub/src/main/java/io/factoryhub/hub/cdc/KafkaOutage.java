package io.factoryhub.hub.cdc;

import java.time.Instant;

/**
 * Kafka did not take CDC's batch in flight: the batch is retried until it is acknowledged.
 *
 * @param error   the last failure, {@code SimpleName: message}
 * @param retries attempts that failed so far
 * @param since   when the first attempt failed
 */
public record KafkaOutage(String error, int retries, Instant since) {
}
