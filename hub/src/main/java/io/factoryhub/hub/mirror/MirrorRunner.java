package io.factoryhub.hub.mirror;

import io.factoryhub.hub.config.HubConfig;
import java.util.List;
import org.apache.kafka.connect.mirror.MirrorMaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MirrorMaker2 in dedicated mode inside this JVM, driving only the external cluster's side (the one flow of
 * mm2.properties). A thin wrapper like {@code CdcEngine}: Kafka's own engine, configured from the file, stopped
 * gracefully (tasks flush and commit their source offsets; anything not committed is copied again, never lost).
 */
public final class MirrorRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MirrorRunner.class);

    private final MirrorSettings settings;
    private final MirrorMaker mirrorMaker;
    private boolean stopped;

    private MirrorRunner(MirrorSettings settings, MirrorMaker mirrorMaker) {
        this.settings = settings;
        this.mirrorMaker = mirrorMaker;
    }

    /** The mirror the hub's configuration describes, as the mm2 user, started. */
    public static MirrorRunner start(HubConfig config) {
        return start(MirrorSettings.from(config), config.get("factory.kafka.bootstrap-servers"), ExternalCluster.as(config, "mm2"));
    }

    public static MirrorRunner start(MirrorSettings settings, String factoryBootstrapServers, ExternalCluster external) {
        MirrorMaker mirrorMaker = new MirrorMaker(settings.withConnections(factoryBootstrapServers, external),
                List.of(settings.target()));
        mirrorMaker.start();
        LOG.info("MirrorMaker2 started: {} ({}) -> {} ({}), topics {}", settings.site(), factoryBootstrapServers,
                settings.target(), external, settings.flowSetting("topics"));
        return new MirrorRunner(settings, mirrorMaker);
    }

    public MirrorSettings settings() {
        return settings;
    }

    /** Blocks until MirrorMaker has stopped (the standalone {@code mirror} verb waits here). */
    public void awaitStop() {
        mirrorMaker.awaitStop();
    }

    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        mirrorMaker.stop();
        LOG.info("MirrorMaker2 stopped");
    }
}
