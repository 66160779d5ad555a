package io.factoryhub.hub.opcua;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** One OPC-UA server, one subscription, many monitored items. Consumer only. */
public class OpcUaSubscriptionEndpoint extends DefaultEndpoint {

    private final OpcUaSubscriptionConfig config;

    public OpcUaSubscriptionEndpoint(String uri, OpcUaSubscriptionComponent component, OpcUaSubscriptionConfig config) {
        super(uri, component);
        this.config = config;
    }

    @Override
    public OpcUaSubscriptionComponent getComponent() {
        return (OpcUaSubscriptionComponent) super.getComponent();
    }

    public OpcUaSubscriptionConfig getConfig() {
        return config;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        OpcUaSubscriptionConsumer consumer = new OpcUaSubscriptionConsumer(this, processor, config);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("opcua-subscription is consumer only");
    }
}
