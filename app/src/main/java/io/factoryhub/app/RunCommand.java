package io.factoryhub.app;

import io.factoryhub.app.plant.EmbeddedPlant;
import io.factoryhub.hub.HubRuntime;
import io.factoryhub.hub.config.CredentialsFile;
import io.factoryhub.hub.config.HubConfig;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Starts the embedded plant (unless switched off part by part) and the hub on it, until Ctrl-C / SIGTERM. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Start the simulated plant and the hub; Ctrl-C stops gracefully. Parts: plant.<kafka|external-kafka|mqtt|opcua|postgres|s3|simulator>.enabled, factory.<cdc|lake|mirror>.enabled")
public final class RunCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;

    @Override
    public Integer call() throws Exception {
        HubConfig config = options.load();
        long started = System.nanoTime();
        EmbeddedPlant plant = new EmbeddedPlant(config);
        HubRuntime hub = new HubRuntime(config);
        CountDownLatch stopped = new CountDownLatch(1);
        // registered before anything starts, so Ctrl-C during start-up also stops what already runs (start and
        // close are synchronized: the hook waits for a start in progress, then stops in order)
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("factory-hub: stopping (machines first, then the hub drains, then the plant)...");
            plant.stopSimulator();
            hub.close();
            plant.close();
            stopped.countDown();
        }, "factory-hub-shutdown"));
        try {
            plant.start();
            hub.start();
        } catch (Exception e) {
            hub.close();
            plant.close();
            throw e;
        }
        banner(System.out, config, plant, (System.nanoTime() - started) / 1_000_000);
        stopped.await();
        return 0;
    }

    private static void banner(PrintStream out, HubConfig config, EmbeddedPlant plant, long startMillis) {
        String http = "http://localhost:" + config.get("factory.http.port");
        out.println();
        out.printf("factory-hub is up (%.1f s)%n", startMillis / 1000.0);
        plant.endpoints().forEach(line -> out.println("  " + line));
        out.println("  hub HTTP           " + http + "/metrics (Prometheus)   " + http + "/health");
        if (config.getBoolean("factory.ml.enabled")) {
            out.println("  model server       " + http + "/v2/health/ready (OIP v2, models in "
                    + config.getPath("factory.ml.model-repository") + ")");
        }
        if (config.getBoolean("factory.dashboard.enabled")) {
            out.println("  line dashboard     " + http + "/");
        }
        out.println("  Kafka (hub uses)   " + config.get("factory.kafka.bootstrap-servers"));
        out.println("  topics             " + config.get("factory.topic.telemetry") + ", " + config.get("factory.topic.anomalies") + ", "
                + config.get("factory.topic.deadletter"));
        out.println("  connectors         " + config.getPath("factory.connectors-dir") + "  (edit, add, remove: live)");
        out.println("  routes             " + config.getPath("factory.routes-dir"));
        if (config.getBoolean("factory.streams.enabled")) {
            out.println("  rules              " + config.getPath("factory.rules-dir") + "  (edit, add, remove: live, published to "
                    + config.get("factory.topic.rules") + ")");
            out.println("  machine states     " + config.get("factory.topic.events") + ", OEE " + config.get("factory.topic.oee")
                    + ", aggregates " + config.get("factory.topic.aggregates"));
            out.println("  digital twin       " + http + "/api/machines  (topic " + config.get("factory.topic.twin") + ")");
        }
        out.println("  data dir           " + config.getPath("factory.data-dir"));
        if (config.getBoolean("factory.lake.enabled")) {
            out.println("  data lake          " + config.get("s3.endpoint") + "  bucket " + config.get("factory.lake.bucket")
                    + ", topics " + config.get("factory.lake.topics") + ", credentials in "
                    + new CredentialsFile(config.getPath("factory.data-dir")).path());
        }
        if (config.getBoolean("factory.mirror.enabled")) {
            out.println("  mirror (MM2)       " + config.get("factory.site") + " -> " + config.get("external.bootstrap-servers") + " as "
                    + config.get("factory.site") + ".<topic>  (" + config.getPath("factory.mirror.config") + ")");
        }
        out.println("Watch telemetry arrive, audit MES changes:");
        out.println("  ./factory-hub watch --topic " + config.get("factory.topic.telemetry"));
        out.println("  ./factory-hub audit work_orders 1");
        out.println("  ./factory-hub replay --help");
        if (config.getBoolean("factory.mirror.enabled")) {
            out.println("Mirror freshness; BI consumers: README \"Consume from BI\" (credentials file named above):");
            out.println("  ./factory-hub mirror status");
        }
        out.println();
    }
}
