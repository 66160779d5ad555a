package io.factoryhub.app.support;

import io.factoryhub.hub.HubRuntime;
import io.factoryhub.hub.config.HubConfig;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The hub in a JVM of its own, so a test can kill it like a crashed machine ({@code kill -9}: no shutdown hook, no
 * drain, no close of the buffer). {@code main(configFile)} runs {@link HubRuntime} until killed; a SIGTERM stops it
 * gracefully. Started again with the same configuration file it finds the same data dir.
 */
public final class HubProcess implements AutoCloseable {

    private final Process process;

    private HubProcess(Process process) {
        this.process = process;
    }

    /** Writes {@code config} to {@code configFile} (once) and starts a hub on it, its output appended to {@code log}. */
    public static HubProcess start(HubConfig config, Path configFile, Path log) throws IOException {
        if (!Files.exists(configFile)) {
            Properties properties = config.asProperties();
            try (Writer out = Files.newBufferedWriter(configFile)) {
                properties.store(out, "hub of a fault test");
            }
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(List.of(java.toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                HubProcess.class.getName(), configFile.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new HubProcess(process);
    }

    /** Like a crash: SIGKILL. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    public static void main(String[] args) throws Exception {
        HubRuntime hub = new HubRuntime(HubConfig.load(Path.of(args[0]), Map.of(), new Properties()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            hub.close();
            stopped.countDown();
        }));
        hub.start();
        stopped.await();
    }
}
