package io.factoryhub.hub.buffer;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** Its options are described for Camel's catalog (validation) in META-INF/io/factoryhub/hub/buffer/factory-kafka.json. */
public final class FactoryKafkaEndpoint extends DefaultEndpoint {

    private final String topic;

    FactoryKafkaEndpoint(String uri, FactoryKafkaComponent component, String topic) {
        super(uri, component);
        this.topic = topic;
    }

    @Override
    public Producer createProducer() {
        StoreAndForward buffer = getCamelContext().getRegistry().findSingleByType(StoreAndForward.class);
        if (buffer == null) {
            throw new IllegalStateException("factory-kafka:" + topic + " needs the hub's store-and-forward buffer, which is not running");
        }
        return new FactoryKafkaProducer(this, buffer);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("factory-kafka only writes; read the topic with the kafka component");
    }

    String topic() {
        return topic;
    }
}
