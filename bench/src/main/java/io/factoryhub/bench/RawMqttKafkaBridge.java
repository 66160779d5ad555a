package io.factoryhub.bench;

import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/**
 * The baseline the hub is measured against: the least code that gives the same delivery guarantee, without Camel.
 * One Paho MQTT 5 client (durable session, QoS 1, manual acks, memory persistence, Nagle on - as the hub's
 * camel-paho-mqtt5 consumer) whose callback hands each message to a KafkaProducer configured like the hub's
 * (acks=all, idempotence, linger, batch size, compression from the same config) and sends the PUBACK from the
 * producer callback, i.e. only once Kafka has the record. Key = machine segment of the topic, value = payload as is.
 */
final class RawMqttKafkaBridge implements AutoCloseable {

    private final MqttAsyncClient paho;
    private final KafkaProducer<String, byte[]> producer;
    private final String kafkaTopic;

    RawMqttKafkaBridge(String serverUri, String mqttFilter, String clientId, String bootstrapServers, String kafkaTopic,
                       int lingerMs, int batchSize, String compression) throws MqttException {
        this.kafkaTopic = kafkaTopic;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, lingerMs,
                ProducerConfig.BATCH_SIZE_CONFIG, batchSize,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, compression,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        this.paho = new MqttAsyncClient(serverUri, clientId, new MemoryPersistence());
        try {
            paho.setManualAcks(true);
            paho.setCallback(new Callback());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(false);
            options.setSessionExpiryInterval(3600L);
            options.setAutomaticReconnect(true);
            paho.connect(options).waitForCompletion(30_000);
            paho.subscribe(mqttFilter, 1).waitForCompletion(30_000);
        } catch (MqttException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private final class Callback implements io.factoryhub.plant.mqtt.MessageCallback {
        /** Runs on Paho's single callback thread: only hand over to the producer, never block here. */
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            int id = message.getId();
            int qos = message.getQos();
            producer.send(new ProducerRecord<>(kafkaTopic, machineSegment(topic), message.getPayload()), (metadata, error) -> {
                if (error == null) {
                    try {
                        paho.messageArrivedComplete(id, qos);
                    } catch (MqttException e) {
                        // the broker redelivers an unacknowledged QoS 1 message on reconnect
                    }
                }
                // on error no PUBACK: same as the hub, the message stays the broker's
            });
        }
    }

    /** {@code bench/raw/m-0042/vibration} gives {@code m-0042}. */
    static String machineSegment(String topic) {
        int end = topic.lastIndexOf('/');
        int start = topic.lastIndexOf('/', end - 1);
        return end > 0 ? topic.substring(start + 1, end) : topic;
    }

    @Override
    public void close() {
        try {
            if (paho.isConnected()) {
                paho.disconnect(5_000).waitForCompletion(6_000);
            }
            paho.close(true);
        } catch (MqttException | RuntimeException ignored) {
            // closing anyway
        }
        producer.close(java.time.Duration.ofSeconds(10));
    }
}
