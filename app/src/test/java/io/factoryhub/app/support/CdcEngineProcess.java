package io.factoryhub.app.support;

import io.factoryhub.hub.cdc.CdcEngine;
import io.factoryhub.hub.config.HubConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * CDC alone in a JVM of its own, so a test can kill it like a crashed hub ({@code kill -9}: no shutdown hook, no
 * offset flush). {@code main(configFile)} runs until killed.
 */
public final class CdcEngineProcess implements AutoCloseable {

    private final Process process;

    private CdcEngineProcess(Process process) {
        this.process = process;
    }

    public static CdcEngineProcess start(Path configFile, Path log) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(List.of(java.toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                CdcEngineProcess.class.getName(), configFile.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new CdcEngineProcess(process);
    }

    /** Like a crash: SIGKILL, nothing flushed. */
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
            if (!process.waitFor(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
            }
        }
    }

    public static void main(String[] args) throws InterruptedException {
        HubConfig config = HubConfig.load(Path.of(args[0]), Map.of(), new Properties());
        CdcEngine engine = CdcEngine.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            engine.close();
            stopped.countDown();
        }));
        if (engine.state() == CdcEngine.State.FAILED) {
            System.out.println("CDC FAILED: " + engine.failure().orElse(""));
        }
        stopped.await();
    }
}
