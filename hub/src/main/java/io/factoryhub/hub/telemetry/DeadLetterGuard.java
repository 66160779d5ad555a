package io.factoryhub.hub.telemetry;

import io.factoryhub.hub.FactoryTopics;
import java.util.Arrays;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Keeps a dead letter within what the dead-letter topic accepts: a payload larger than that is cut to the limit
 * and marked ({@code factory_payload_truncated}, {@code factory_payload_bytes}) instead of failing the write and
 * leaving the message unacknowledged forever. Payload limits of connectors are far below this by default.
 */
public class DeadLetterGuard implements Processor {

    static final int MAX_PAYLOAD = FactoryTopics.DEADLETTER_MAX_BYTES - 64 * 1024;

    @Override
    public void process(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        byte[] bytes = body instanceof byte[] raw ? raw : body instanceof String text ? text.getBytes(java.nio.charset.StandardCharsets.UTF_8) : null;
        if (bytes != null && bytes.length > MAX_PAYLOAD) {
            exchange.getMessage().setHeader("factory_payload_truncated", "true");
            exchange.getMessage().setHeader("factory_payload_bytes", Integer.toString(bytes.length));
            exchange.getMessage().setBody(Arrays.copyOf(bytes, MAX_PAYLOAD));
        }
    }
}
