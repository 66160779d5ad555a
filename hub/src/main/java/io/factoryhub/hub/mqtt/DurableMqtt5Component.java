package io.factoryhub.hub.mqtt;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Component;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Configuration;

/**
 * Camel's {@code paho-mqtt5} component with a consumer that keeps durable sessions whole (see
 * {@link DurableMqtt5Consumer}). Bound under the same name, so kamelets, Pipes and the catalog's option checks
 * stay exactly as they are; every endpoint option is Camel's.
 */
// the annotation names the scheme, which is how Camel finds the generated option configurers of paho-mqtt5
@org.apache.camel.spi.annotations.Component(DurableMqtt5Component.NAME)
public final class DurableMqtt5Component extends PahoMqtt5Component {

    public static final String NAME = "paho-mqtt5";

    /** Room announced beyond the payload limit for the packet's topic and properties. */
    private static final long PACKET_OVERHEAD = 64 * 1024;

    private final int consumerLanes;
    private final long maximumPacketSize;

    /**
     * @param consumerLanes   threads each consumer processes on (ordered per MQTT topic)
     * @param maxPayloadBytes the largest payload a connector takes ({@code factory.max-payload-bytes}): consumers
     *                        announce it (plus room for topic and properties) as MQTT 5 Maximum Packet Size, so a broker
     *                        never hands the JVM a payload of any size
     */
    public DurableMqtt5Component(int consumerLanes, long maxPayloadBytes) {
        if (consumerLanes < 1) {
            throw new IllegalArgumentException("factory.mqtt.consumer-lanes must be at least 1, not " + consumerLanes);
        }
        if (maxPayloadBytes < 1) {
            throw new IllegalArgumentException("factory.max-payload-bytes must be at least 1, not " + maxPayloadBytes);
        }
        this.consumerLanes = consumerLanes;
        this.maximumPacketSize = maxPayloadBytes + PACKET_OVERHEAD;
    }

    int consumerLanes() {
        return consumerLanes;
    }

    long maximumPacketSize() {
        return maximumPacketSize;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        PahoMqtt5Configuration configuration = getConfiguration().copy();
        DurableMqtt5Endpoint endpoint = new DurableMqtt5Endpoint(uri, remaining, this, configuration);
        endpoint.setClient(getClient());
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
