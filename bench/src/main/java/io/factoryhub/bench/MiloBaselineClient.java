package io.factoryhub.bench;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;

/**
 * The OPC-UA baseline: a plain Milo client, one subscription with one monitored item per node (same sampling,
 * publishing interval and queue size as the hub's opcua-source), whose listener sends each data change straight
 * to a KafkaProducer configured like the hub's. The value is a minimal JSON carrying the source time, so the
 * same consumer measures both paths. No Camel, no normalization, no per-node ordering lanes.
 */
final class MiloBaselineClient implements AutoCloseable {

    private final OpcUaClient client;
    private final KafkaProducer<String, String> producer;

    MiloBaselineClient(String endpointUrl, List<String> nodeIds, double samplingInterval, double publishingInterval,
                       int queueSize, String bootstrapServers, String topic, int lingerMs, int batchSize,
                       String compression) throws Exception {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, lingerMs,
                ProducerConfig.BATCH_SIZE_CONFIG, batchSize,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, compression,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
        client = OpcUaClient.create(endpointUrl,
                endpoints -> endpoints.stream()
                        .filter(e -> SecurityPolicy.None.getUri().equals(e.getSecurityPolicyUri()))
                        .findFirst()
                        .map(e -> EndpointUtil.updateUrl(e, EndpointUtil.getHost(endpointUrl), EndpointUtil.getPort(endpointUrl))),
                transport -> { },
                config -> config.setApplicationName(LocalizedText.english("factory-hub bench baseline"))
                        .setApplicationUri("urn:factory-hub:bench:baseline")
                        .setRequestTimeout(uint(60_000)));
        try {
            client.connect();
            OpcUaSubscription subscription = new OpcUaSubscription(client, publishingInterval);
            subscription.setSubscriptionListener(new OpcUaSubscription.SubscriptionListener() {
                @Override
                public void onDataReceived(OpcUaSubscription sub, List<OpcUaMonitoredItem> items, List<DataValue> values) {
                    for (int i = 0; i < items.size(); i++) {
                        String nodeId = (String) items.get(i).getUserObject().orElse("?");
                        DataValue value = values.get(i);
                        DateTime time = value.getSourceTime() != null ? value.getSourceTime() : value.getServerTime();
                        String json = "{\"nodeId\":\"" + nodeId + "\",\"value\":" + value.getValue().getValue()
                                + ",\"sourceTime\":\"" + (time == null ? "" : time.getJavaInstant()) + "\"}";
                        producer.send(new ProducerRecord<>(topic, machineOf(nodeId), json));
                    }
                }
            });
            subscription.create();
            List<OpcUaMonitoredItem> items = new ArrayList<>(nodeIds.size());
            for (String id : nodeIds) {
                OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(NodeId.parse(id));
                item.setSamplingInterval(samplingInterval);
                item.setQueueSize(uint(queueSize));
                item.setDiscardOldest(true);
                item.setUserObject(id);
                items.add(item);
            }
            subscription.addMonitoredItems(items);
            subscription.createMonitoredItems();
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** {@code ns=2;s=bench/line-00/machine-0001/vibration} gives {@code machine-0001}. */
    static String machineOf(String nodeId) {
        String[] parts = nodeId.split("/");
        return parts.length >= 2 ? parts[parts.length - 2] : nodeId;
    }

    @Override
    public void close() {
        try {
            client.disconnectAsync().get(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // closing anyway
        }
        producer.close(java.time.Duration.ofSeconds(10));
    }
}
