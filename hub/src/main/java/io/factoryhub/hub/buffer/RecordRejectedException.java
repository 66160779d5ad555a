package io.factoryhub.hub.buffer;

/** A record the buffer will never take (too large for any Kafka topic): the sender's input is at fault, not the buffer. */
public class RecordRejectedException extends Exception {

    public RecordRejectedException(String message) {
        super(message);
    }
}
