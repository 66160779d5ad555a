package io.factoryhub.plant.mqtt;

import com.hivemq.configuration.service.InternalConfigurations;
import com.hivemq.embedded.EmbeddedHiveMQ;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/** HiveMQ CE embedded in this JVM, configured for throughput and restart-safe sessions. */
final class HiveMqBackend implements MqttBrokerBackend {

    private static final Logger LOG = LoggerFactory.getLogger(HiveMqBackend.class);

    /**
     * Messages HiveMQ sends to one subscriber before it waits for PUBACKs (HiveMQ default 50, not
     * settable in config.xml). HiveMQ refills the window only once it has drained, and Paho writes
     * its PUBACKs without TCP_NODELAY, so with 50 the last PUBACKs of every window sat ~40 ms in
     * Nagle/delayed-ACK: ~1.1k msg/s. With 1000 the stall is paid once per 1000 messages.
     */
    static final int IN_FLIGHT_WINDOW = 1000;

    /** Publisher-side in-flight QoS 1 messages (HiveMQ default 10); Paho honours it. */
    static final int SERVER_RECEIVE_MAXIMUM = 1000;

    /** Messages queued per offline or slow persistent session before new ones are dropped (default 1000). */
    static final long MAX_QUEUE_SIZE = 1_000_000;

    private final Path home;
    private final int port;
    private EmbeddedHiveMQ hivemq;

    HiveMqBackend(Path home, int port) {
        this.home = home;
        this.port = port;
    }

    @Override
    public void start() throws Exception {
        Path conf = Files.createDirectories(home.resolve("conf"));
        Path data = Files.createDirectories(home.resolve("data"));
        Path extensions = Files.createDirectories(home.resolve("extensions"));
        Files.writeString(conf.resolve("config.xml"), configXml());
        writeLogbackXml(conf.resolve("logback.xml"));
        // JVM-wide static; only one HiveMQ runs per JVM anyway.
        InternalConfigurations.MAX_INFLIGHT_WINDOW_SIZE_MESSAGES = IN_FLIGHT_WINDOW;
        hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(data)
                .withExtensionsFolder(extensions)
                .build();
        hivemq.start().get(60, TimeUnit.SECONDS);
        LOG.info("HiveMQ CE listening on 127.0.0.1:{} (data {})", port, data);
    }

    @Override
    public void close() {
        EmbeddedHiveMQ running = hivemq;
        hivemq = null;
        if (running == null) {
            return;
        }
        try {
            // close() = stop() plus releasing HiveMQ's global resources; blocks until done.
            running.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("HiveMQ stop failed", e);
        }
    }

    private String configXml() {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <hivemq>
                  <listeners>
                    <tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address></tcp-listener>
                  </listeners>
                  <mqtt>
                    <queued-messages><max-queue-size>%d</max-queue-size><strategy>discard</strategy></queued-messages>
                    <receive-maximum><server-receive-maximum>%d</server-receive-maximum></receive-maximum>
                  </mqtt>
                  <!-- file: persistent sessions and queued QoS 1 messages survive a restart -->
                  <persistence><mode>file</mode></persistence>
                  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, MAX_QUEUE_SIZE, SERVER_RECEIVE_MAXIMUM);
    }

    /**
     * HiveMQ resets logback and configures it from conf/logback.xml when that file exists, else it
     * installs its own appenders. Giving it the application's own logback configuration keeps the
     * application's logging as it was.
     */
    private static void writeLogbackXml(Path target) throws IOException {
        URL own = applicationLogbackConfig();
        if (own != null) {
            try (InputStream in = own.openStream()) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                return;
            }
        }
        Files.writeString(target, """
                <configuration>
                  <appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{30} - %msg%n</pattern></encoder>
                  </appender>
                  <logger name="com.hivemq" level="WARN"/>
                  <root level="INFO"><appender-ref ref="CONSOLE"/></root>
                </configuration>
                """);
    }

    /** Where logback found its configuration, in logback's own lookup order. */
    private static URL applicationLogbackConfig() throws IOException {
        String explicit = System.getProperty("logback.configurationFile");
        if (explicit != null) {
            Path file = Path.of(explicit);
            return Files.isReadable(file) ? file.toUri().toURL() : new URL(explicit);
        }
        ClassLoader loader = HiveMqBackend.class.getClassLoader();
        URL test = loader.getResource("logback-test.xml");
        return test != null ? test : loader.getResource("logback.xml");
    }
}
