package io.factoryhub.hub.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Readiness of a service the hub depends on (the MQTT broker; Kafka's is the forwarder's own, KafkaForwardingCheck): can a TCP connection be
 * opened within a second? Cheap enough to run on every /health request, and it answers the question an
 * operator asks first ("is it up and reachable from here?").
 */
public final class TcpReachabilityCheck extends ReadinessCheck {

    private static final int TIMEOUT_MILLIS = 1000;

    private final String host;
    private final int port;

    public TcpReachabilityCheck(String id, String host, int port) {
        super(id);
        this.host = host;
        this.port = port;
    }

    /** From a URL such as {@code tcp://localhost:1883} or {@code opc.tcp://host:4840}. */
    public static TcpReachabilityCheck forUrl(String id, String url, int defaultPort) {
        URI uri = URI.create(url);
        return new TcpReachabilityCheck(id, uri.getHost(), uri.getPort() > 0 ? uri.getPort() : defaultPort);
    }


    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            builder.up();
        } catch (IOException e) {
            builder.message("not reachable: " + e.getMessage());
            builder.down();
        }
    }
}
