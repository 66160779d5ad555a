package io.factoryhub.app.support;

import io.factoryhub.hub.cdc.CdcEngine;
import io.factoryhub.hub.config.HubConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * CDC alone in a JVM of its own, so a test can kill it like a crashed hub ({@code kill -9}: no shutdown hook, no
 * offset flush). {@code main(configFile)} runs until killed.
 */
public final class CdcEngineProcess implements AutoCloseable {

    private final ChildJvm jvm;

    private CdcEngineProcess(ChildJvm jvm) {
        this.jvm = jvm;
    }

    public static CdcEngineProcess start(Path configFile, Path log) throws IOException {
        return new CdcEngineProcess(ChildJvm.start(CdcEngineProcess.class, "512m", log, configFile.toString()));
    }

    /** Like a crash: SIGKILL, nothing flushed. */
    public void kill() throws InterruptedException {
        jvm.kill();
    }

    public boolean isAlive() {
        return jvm.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        jvm.close();
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
