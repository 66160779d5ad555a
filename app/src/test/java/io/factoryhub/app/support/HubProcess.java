package io.factoryhub.app.support;

import io.factoryhub.hub.HubRuntime;
import io.factoryhub.hub.config.HubConfig;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * The hub in a JVM of its own, so a test can kill it like a crashed machine ({@code kill -9}: no shutdown hook, no
 * drain, no close of the buffer). {@code main(configFile)} runs {@link HubRuntime} until killed; a SIGTERM stops it
 * gracefully. Started again with the same configuration file it finds the same data dir.
 */
public final class HubProcess {

    private HubProcess() {
    }

    /** Writes {@code config} to {@code configFile} (once) and starts a hub on it, its output appended to {@code log}. */
    public static ChildJvm start(HubConfig config, Path configFile, Path log) throws IOException {
        if (!Files.exists(configFile)) {
            try (Writer out = Files.newBufferedWriter(configFile)) {
                config.asProperties().store(out, "hub of a fault test");
            }
        }
        return ChildJvm.start(HubProcess.class, "512m", log, configFile.toString());
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
