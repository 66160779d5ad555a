package io.factoryhub.hub.buffer;

/**
 * The buffer did not take a record — it is full, stopped, or its disk failed. Not the record's fault: the sender should
 * keep it (an MQTT message stays unacknowledged in the broker) and offer it again later.
 */
public class BufferUnavailableException extends Exception {

    public BufferUnavailableException(String message) {
        super(message);
    }

    public BufferUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
