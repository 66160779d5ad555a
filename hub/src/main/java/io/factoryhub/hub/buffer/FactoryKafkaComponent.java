package io.factoryhub.hub.buffer;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code factory-kafka:<topic>}: writes to the factory Kafka through the hub's store-and-forward buffer. An exchange
 * completes once its record is on disk in the buffer (or fails: buffer full, record too large), so a Kafka outage never
 * fails a route. Key from the {@code kafka.KEY} header, topic overridable by {@code kafka.OVERRIDE_TOPIC}, other headers
 * as record headers exactly as camel-kafka maps them.
 */
@org.apache.camel.spi.annotations.Component(FactoryKafkaComponent.NAME)
public final class FactoryKafkaComponent extends DefaultComponent {

    public static final String NAME = "factory-kafka";

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (remaining == null || remaining.isBlank()) {
            throw new IllegalArgumentException("factory-kafka needs a topic: factory-kafka:<topic>");
        }
        FactoryKafkaEndpoint endpoint = new FactoryKafkaEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters); // no options: Camel rejects any given
        return endpoint;
    }
}
