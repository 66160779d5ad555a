package io.factoryhub.bench;

import io.factoryhub.app.CommonOptions;
import io.factoryhub.app.FactoryHubCli;
import io.factoryhub.hub.config.HubConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ./factory-hub bench <stage>}: measures the hub against a no-Camel baseline on infrastructure the bench
 * starts itself (temp dir, free ports) and stops again. Progress goes to stderr, the table (and with --json the
 * contract's JSON line, last) to stdout. Exit code 0 when every target was met, 1 when one was missed, 2 on error.
 *
 * <p>The entry point of {@code bench/target/factory-hub-bench.jar}, kept out of the product jar; the launcher
 * hands {@code ./factory-hub bench ...} to it.
 */
@Command(name = "factory-hub bench", mixinStandardHelpOptions = true, version = "factory-hub bench 0.1.0",
        description = {"Measures the hub against a plain-client baseline and prints figures next to their targets.",
                "Stages: ingest (MQTT 5 -> Kafka), opcua (20,000 OPC-UA items -> Kafka), plant (start-up time and memory), cdc (MES changes -> Kafka),",
                "lake (Kafka -> S3 data lake), mirror (MirrorMaker2 factory -> external BI cluster),",
                "buffer (MQTT 5 -> Kafka across a Kafka outage: into the store-and-forward buffer, then drained),",
                "inference (telemetry in Kafka -> inference-action -> the hub's OIP v2 model server -> anomalies, and on to the dashboard),",
                "rules (telemetry in Kafka -> machine states from 1,000 rules over 1,000 machines on Kafka Streams -> state-changed events)."})
public final class BenchCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "STAGE", description = "ingest | opcua | plant | cdc | lake | mirror | buffer | inference | rules")
    String stage;

    @Option(names = "--json", description = "End with one JSON line (the benchmark output contract).")
    boolean json;

    @Option(names = "--messages", defaultValue = "300000", description = "ingest: messages in the throughput burst (default ${DEFAULT-VALUE}).")
    int messages;

    @Option(names = "--rate", defaultValue = "5000", description = "ingest, inference, rules: msg/s of the latency phase (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--rate-seconds", defaultValue = "15", description = "ingest, inference, rules: seconds of the latency phase (default ${DEFAULT-VALUE}).")
    int rateSeconds;

    @Option(names = "--readings", defaultValue = "300000", description = "inference: readings of the throughput burst (default ${DEFAULT-VALUE}).")
    int readings;

    @Option(names = "--rule-readings", defaultValue = "1000000", description = "rules: readings of the throughput burst (default ${DEFAULT-VALUE}).")
    int ruleReadings;

    @Option(names = "--rule-warmup", defaultValue = "500000", description = "rules: readings evaluated before the burst is measured, on each side (default ${DEFAULT-VALUE}).")
    int ruleWarmup;

    @Option(names = "--rules", defaultValue = "1000", description = "rules: rules on the control topic, spread over the machines' 100 types (default ${DEFAULT-VALUE}).")
    int rules;

    @Option(names = "--machines", defaultValue = "1000", description = "inference, rules: machines the burst's readings go round (default ${DEFAULT-VALUE}).")
    int machines;

    @Option(names = "--dashboard-rate", defaultValue = "1000", description = "inference: sensor readings/s over MQTT of the dashboard phase (default ${DEFAULT-VALUE}).")
    int dashboardRate;

    @Option(names = "--dashboard-seconds", defaultValue = "15", description = "inference: seconds of the dashboard phase (default ${DEFAULT-VALUE}).")
    int dashboardSeconds;

    @Option(names = "--publishers", defaultValue = "4", description = "ingest, buffer: MQTT publisher connections (default ${DEFAULT-VALUE}).")
    int publishers;

    @Option(names = "--window", defaultValue = "1000", description = "ingest, buffer: QoS 1 messages in flight per publisher, at most the broker's receive-maximum (default ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--warmup", defaultValue = "20000", description = "ingest, buffer: warm-up messages per part (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--max-outstanding", defaultValue = "2000", description = "ingest, buffer: at most this many messages published but not yet in Kafka during a burst (buffer, Kafka down: not yet in the buffer); 0 = open loop (default ${DEFAULT-VALUE}).")
    int maxOutstanding;

    @Option(names = "--broker", description = "ingest, buffer: hivemq | mosquitto (default: mosquitto when installed, else hivemq).")
    String broker;

    @Option(names = "--buffer-messages", defaultValue = "300000", description = "buffer: messages of the burst with Kafka up (default ${DEFAULT-VALUE}).")
    int bufferMessages;

    @Option(names = "--buffer-backlog", defaultValue = "1000000", description = "buffer: messages published while Kafka is down, then drained (default ${DEFAULT-VALUE}).")
    int bufferBacklog;

    @Option(names = "--mirror-records", defaultValue = "300000", description = "mirror: records per throughput round (default ${DEFAULT-VALUE}).")
    int mirrorRecords;

    @Option(names = "--mirror-rounds", defaultValue = "5", description = "mirror: throughput rounds, each copier's best and the median hub/raw ratio count (default ${DEFAULT-VALUE}).")
    int mirrorRounds;

    @Option(names = "--mirror-rate", defaultValue = "10000", description = "mirror: msg/s of the lag phase (default ${DEFAULT-VALUE}).")
    int mirrorRate;

    @Option(names = "--mirror-seconds", defaultValue = "15", description = "mirror: seconds of the lag phase (default ${DEFAULT-VALUE}).")
    int mirrorSeconds;

    @Option(names = "--items", defaultValue = "20000", description = "opcua: monitored Double variables (default ${DEFAULT-VALUE}).")
    int items;

    @Option(names = "--seconds", defaultValue = "30", description = "opcua: measured seconds per part (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--opcua-warmup", defaultValue = "10", description = "opcua: seconds of updates before measuring (default ${DEFAULT-VALUE}).")
    int opcuaWarmup;

    @Option(names = "--lake-records", defaultValue = "1200000", description = "lake: records of the throughput burst (default ${DEFAULT-VALUE}).")
    int lakeRecords;

    @Option(names = "--lake-rate", defaultValue = "2000", description = "lake: records/s of the visibility phase (default ${DEFAULT-VALUE}).")
    int lakeRate;

    @Option(names = "--lake-seconds", defaultValue = "12", description = "lake: seconds of the visibility phase (default ${DEFAULT-VALUE}).")
    int lakeSeconds;

    @Option(names = "--lake-interval-ms", defaultValue = "5000", description = "lake: roll interval of the visibility phase (default ${DEFAULT-VALUE}).")
    int lakeIntervalMs;

    public static void main(String[] args) {
        FactoryHubCli.useOurLogback();
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs a stage with its output captured and returns the exit code (tests call this instead of main). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        return new CommandLine(new BenchCommand()).setOut(out).setErr(err).execute(args);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HubConfig config = options.load();
        try {
            BenchReport report = switch (stage) {
                case "ingest" -> new IngestBench(config, new IngestBench.Options(messages, rate, rateSeconds, publishers,
                        window, warmup, broker, maxOutstanding), err).run();
                case "opcua" -> new OpcUaBench(config, new OpcUaBench.Options(items, seconds, opcuaWarmup), err).run();
                case "plant" -> new PlantBench(config, err).run();
                case "cdc" -> CdcBench.run(config, CdcBench.Options.defaults(), err);
                case "lake" -> new LakeBench(config, new LakeBench.Options(lakeRecords, lakeRate, lakeSeconds, lakeIntervalMs), err).run();
                case "mirror" -> new MirrorBench(config, new MirrorBench.Options(mirrorRecords, mirrorRounds, mirrorRate, mirrorSeconds), err).run();
                case "buffer" -> new BufferBench(config, new BufferBench.Options(bufferMessages, bufferBacklog, publishers, window,
                        warmup, broker, maxOutstanding), err).run();
                case "inference" -> new InferenceBench(config, new InferenceBench.Options(readings, machines, rate, rateSeconds,
                        dashboardRate, dashboardSeconds), err).run();
                case "rules" -> new RulesBench(config, new RulesBench.Options(ruleWarmup, ruleReadings, machines, rules, rate, rateSeconds), err).run();
                default -> {
                    err.println("factory-hub bench: unknown stage '" + stage + "' (ingest, opcua, plant, cdc, lake, mirror, buffer, inference, rules)");
                    yield null;
                }
            };
            if (report == null) {
                return 2;
            }
            report.print(out, json);
            return report.allTargetsMet() ? 0 : 1;
        } catch (Exception e) {
            err.println("factory-hub bench " + stage + " failed: " + e);
            e.printStackTrace(err);
            err.flush();
            return 2;
        }
    }
}
