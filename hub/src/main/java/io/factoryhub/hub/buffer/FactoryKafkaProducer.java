package io.factoryhub.hub.buffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.KafkaHeaderFilterStrategy;
import org.apache.camel.component.kafka.serde.DefaultKafkaHeaderSerializer;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.support.DefaultAsyncProducer;

/** Turns an exchange into a {@link BufferedRecord} and hands it to the buffer; completes when the buffer answered. */
final class FactoryKafkaProducer extends DefaultAsyncProducer {

    private final StoreAndForward buffer;
    private final String topic;
    private final HeaderFilterStrategy headerFilter = new KafkaHeaderFilterStrategy();
    private final DefaultKafkaHeaderSerializer headerSerializer = new DefaultKafkaHeaderSerializer();

    FactoryKafkaProducer(FactoryKafkaEndpoint endpoint, StoreAndForward buffer) {
        super(endpoint);
        this.buffer = buffer;
        this.topic = endpoint.topic();
        headerSerializer.setCamelContext(endpoint.getCamelContext());
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        BufferedRecord record;
        try {
            record = toRecord(exchange);
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        buffer.submit(record, error -> {
            if (error != null) {
                exchange.setException(error);
            }
            callback.done(false);
        });
        return false;
    }

    private BufferedRecord toRecord(Exchange exchange) {
        Message in = exchange.getMessage();
        String target = in.getHeader(KafkaConstants.OVERRIDE_TOPIC, topic, String.class);
        Object key = in.getHeader(KafkaConstants.KEY);
        byte[] keyBytes = key == null ? null : key instanceof byte[] raw ? raw : key.toString().getBytes(StandardCharsets.UTF_8);
        byte[] value = in.getBody() == null ? null : in.getBody(byte[].class);
        return new BufferedRecord(target, keyBytes, value, headers(exchange, in), System.currentTimeMillis());
    }

    /** The headers camel-kafka would send: its filter (no Camel*, kafka.* headers) and its serializer. */
    private List<BufferedRecord.Header> headers(Exchange exchange, Message in) {
        List<BufferedRecord.Header> headers = new ArrayList<>();
        for (Map.Entry<String, Object> header : in.getHeaders().entrySet()) {
            if (header.getValue() == null || headerFilter.applyFilterToCamelHeaders(header.getKey(), header.getValue(), exchange)) {
                continue;
            }
            byte[] bytes = headerSerializer.serialize(header.getKey(), header.getValue());
            if (bytes != null) {
                headers.add(new BufferedRecord.Header(header.getKey(), bytes));
            }
        }
        return headers;
    }
}
