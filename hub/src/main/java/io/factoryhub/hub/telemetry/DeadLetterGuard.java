package io.factoryhub.hub.telemetry;

import java.util.Arrays;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Keeps a dead letter within what the dead-letter topic accepts: a payload larger than that is cut to the limit
 * and marked ({@code factory_payload_truncated}, {@code factory_payload_bytes}) instead of failing the write and
 * leaving the message unacknowledged forever. Payload limits of connectors are far below this by default.
 */
public class DeadLetterGuard implements Processor {

    /** Room left in the record for the headers (error, source, connector, lineage). */
    static final int HEADER_ALLOWANCE = 64 * 1024;

    private final int maxPayload;

    /** @param maxRecordBytes the largest record the dead-letter topic takes ({@code factory.deadletter.max-record-bytes}) */
    public DeadLetterGuard(int maxRecordBytes) {
        if (maxRecordBytes <= HEADER_ALLOWANCE) {
            throw new IllegalArgumentException("factory.deadletter.max-record-bytes must be more than " + HEADER_ALLOWANCE
                    + ", not " + maxRecordBytes);
        }
        this.maxPayload = maxRecordBytes - HEADER_ALLOWANCE;
    }

    @Override
    public void process(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        byte[] bytes = body instanceof byte[] raw ? raw : body instanceof String text ? text.getBytes(java.nio.charset.StandardCharsets.UTF_8) : null;
        if (bytes != null && bytes.length > maxPayload) {
            exchange.getMessage().setHeader(TelemetryHeaders.PAYLOAD_TRUNCATED, "true");
            exchange.getMessage().setHeader(TelemetryHeaders.PAYLOAD_BYTES, Integer.toString(bytes.length));
            exchange.getMessage().setBody(Arrays.copyOf(bytes, maxPayload));
        }
    }
}
