package io.factoryhub.plant.mqtt;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * mosquitto (Debian package, MQTT 5) as a child process with a generated mosquitto.conf.
 *
 * <p>mosquitto keeps sessions and queued messages in memory and writes them to mosquitto.db on a
 * clean stop (SIGTERM, which {@link #close()} sends) and every {@value #AUTOSAVE_SECONDS} s, so a
 * clean restart keeps them; a crash loses up to that interval.
 */
final class MosquittoBackend implements MqttBrokerBackend {

    private static final Logger LOG = LoggerFactory.getLogger(MosquittoBackend.class);
    private static final int AUTOSAVE_SECONDS = 30;
    private static final List<String> LOCATIONS = List.of("/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto",
            "/usr/bin/mosquitto", "/usr/local/bin/mosquitto");

    private final Path home;
    private final int port;
    private Process process;
    private Thread killOnExit;

    MosquittoBackend(Path home, int port) {
        this.home = home;
        this.port = port;
    }

    /** The mosquitto binary, or null when it is not installed ({@code apt-get install mosquitto}). */
    static Path executable() {
        return LOCATIONS.stream().map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
    }

    @Override
    public void start() throws Exception {
        Path binary = executable();
        if (binary == null) {
            throw new IllegalStateException("mosquitto not found in " + LOCATIONS + " (apt-get install mosquitto)");
        }
        Files.createDirectories(home);
        Path conf = home.resolve("mosquitto.conf");
        Files.writeString(conf, config());
        Path log = home.resolve("mosquitto.log");
        process = new ProcessBuilder(binary.toString(), "-c", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        // A child process outlives the JVM: stop it on a normal JVM exit even if close() is never called.
        Process started = process;
        killOnExit = new Thread(started::destroy, "mosquitto-stop-" + port);
        Runtime.getRuntime().addShutdownHook(killOnExit);
        awaitListening(log);
        LOG.info("mosquitto (pid {}) listening on 127.0.0.1:{} (data {})", process.pid(), port, home);
    }

    @Override
    public void close() {
        Process running = process;
        process = null;
        if (running == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException alreadyExiting) {
            // the hook is running or about to; stopping here as well is harmless
        }
        running.destroy(); // SIGTERM: mosquitto writes mosquitto.db, then exits
        try {
            if (!running.waitFor(15, TimeUnit.SECONDS)) {
                LOG.warn("mosquitto did not stop within 15 s, killing it");
                running.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            running.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private String config() {
        String dir = home.toAbsolutePath() + "/";
        return String.join("\n",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                // As root mosquitto would switch to user 'mosquitto', which cannot write our data dir.
                "user " + System.getProperty("user.name"),
                "persistence true",
                "persistence_location " + dir,
                "autosave_interval " + AUTOSAVE_SECONDS,
                // defaults are 20 in flight and 1000 queued (then dropped) per client
                "max_inflight_messages " + HiveMqBackend.IN_FLIGHT_WINDOW,
                "max_queued_messages " + HiveMqBackend.MAX_QUEUE_SIZE,
                "log_dest stdout",
                "log_type error",
                "log_type warning",
                "log_type notice",
                "");
    }

    private void awaitListening(Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mosquitto exited with " + process.exitValue() + ": " + tail(log));
            }
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("mosquitto not listening on port " + port + " after 15 s: " + tail(log));
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }
}
