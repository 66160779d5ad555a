package io.factoryhub.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./factory-hub <verb>}: the product's command line. */
@Command(name = "factory-hub", mixinStandardHelpOptions = true, version = "factory-hub 0.1.0",
        description = "Integration hub for factories: OPC-UA and MQTT 5 into Kafka, configured in YAML.",
        subcommands = {RunCommand.class, ValidateCommand.class, WatchCommand.class, SimulateCommand.class,
            AuditCommand.class, ReplayCommand.class, MirrorCommand.class})
public final class FactoryHubCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    static {
        useOurLogback();
    }

    /**
     * HiveMQ's jar carries a logback.xml of its own: names ours explicitly, before the first logger exists. The bench
     * jar's entry point calls it too.
     */
    public static void useOurLogback() {
        if (System.getProperty("logback.configurationFile") == null) {
            java.net.URL ours = FactoryHubCli.class.getClassLoader().getResource("factory-hub-logback.xml");
            if (ours != null) {
                System.setProperty("logback.configurationFile", ours.toString());
            }
        }
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a verb and returns its exit code (tests call this instead of main). */
    public static int execute(String... args) {
        return new CommandLine(new FactoryHubCli()).execute(args);
    }

    /** Same, with the verb's output captured. */
    public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        return new CommandLine(new FactoryHubCli()).setOut(out).setErr(err).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
