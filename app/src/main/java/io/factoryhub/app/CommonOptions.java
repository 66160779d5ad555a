package io.factoryhub.app;

import io.factoryhub.hub.config.HubConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every verb shares: the configuration layers and the data dir. */
public final class CommonOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file layered over the defaults.")
    Path configFile;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "State folder (Kafka log, broker sessions, TLS). Default: ./data")
    Path dataDir;

    public HubConfig load() {
        HubConfig config = HubConfig.load(configFile, System.getenv(), System.getProperties());
        return dataDir == null ? config : config.with("factory.data-dir", dataDir.toAbsolutePath().toString());
    }
}
