package io.factoryhub.app;

import io.factoryhub.app.audit.RowHistory;
import io.factoryhub.hub.config.HubConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The full change history of one MES row, from the CDC topic in Kafka. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Print every change of one MES row, in commit order: time, operation, changed columns old -> new, "
                + "transaction id, LSN. Reads mes.<schema>.<table> from the factory Kafka.")
public final class AuditCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TABLE", description = "Table name, e.g. work_orders.")
    String table;

    @Parameters(index = "1", paramLabel = "PRIMARY-KEY", description = "The row's key: 42, press-01, or col=value,col=value for a composite key.")
    String primaryKey;

    @Option(names = "--schema", defaultValue = "public", description = "Schema of the table (default: ${DEFAULT-VALUE}).")
    String schema;

    @Option(names = "--topic-prefix", defaultValue = "mes", description = "Debezium's topic.prefix (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(names = "--timeout-s", defaultValue = "60", description = "Give up reading after this many seconds (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() {
        HubConfig config = options.load();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String topic = topicPrefix + "." + schema + "." + table;
        try {
            List<RowHistory.Change> changes = RowHistory.read(config.get("factory.kafka.bootstrap-servers"), topic, primaryKey,
                    Duration.ofSeconds(timeoutSeconds));
            RowHistory.print(out, schema + "." + table, primaryKey, changes);
            return changes.isEmpty() ? 1 : 0;
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("audit: " + e.getMessage());
            err.flush();
            return 2;
        }
    }
}
