package io.factoryhub.plant.mqtt;

/** One way of running the MQTT broker; {@link EmbeddedMqttBroker} picks one. */
interface MqttBrokerBackend extends AutoCloseable {

    /** Starts the broker and returns once it accepts connections. */
    void start() throws Exception;

    /** Stops the broker so that persistent sessions and queued messages are on disk. */
    @Override
    void close();
}
