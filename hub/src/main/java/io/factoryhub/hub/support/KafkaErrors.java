package io.factoryhub.hub.support;

import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnknownProducerIdException;

/**
 * Tells a Kafka failure that passes by itself (Kafka unreachable, a leader moving) from one that needs a person
 * (not authorized, record too large, bad configuration).
 */
public final class KafkaErrors {

    private KafkaErrors() {
    }

    /**
     * True when {@code error} or one of its causes is retriable: Kafka's own {@link RetriableException}s (timeouts,
     * disconnects, no leader), a timed-out wait, or an idempotent producer's sequence state broken by such a failure
     * (a new producer cures it). A producer left unusable by an earlier failure reports that failure as its cause.
     */
    public static boolean retriable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RetriableException || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof OutOfOrderSequenceException || t instanceof UnknownProducerIdException
                    || t instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }
}
