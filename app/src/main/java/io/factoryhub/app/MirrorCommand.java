package io.factoryhub.app;

import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.hub.mirror.MirrorFreshness;
import io.factoryhub.hub.mirror.MirrorRunner;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ./factory-hub mirror}: MirrorMaker2 alone (no plant, no hub), from factory.mirror.config, between the
 * clusters the configuration names; {@code mirror status}: how far the mirror is behind, per topic.
 */
@Command(name = "mirror", mixinStandardHelpOptions = true, subcommands = MirrorCommand.Status.class,
        description = {"Run MirrorMaker2 (mirror-config/mm2.properties) from the factory cluster to the external (BI) cluster "
                + "until Ctrl-C.", "Connections: factory.kafka.bootstrap-servers, external.bootstrap-servers, external.ca-file, "
                + "external.mm2.user/password (or <data-dir>/credentials.properties)."})
public final class MirrorCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        HubConfig config = options.load();
        MirrorRunner mirror = MirrorRunner.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(mirror::close, "mirror-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.printf("factory-hub mirror: %s (%s) -> %s (%s), topics %s as %s.<topic>; Ctrl-C stops%n", mirror.settings().site(),
                config.get("factory.kafka.bootstrap-servers"), mirror.settings().target(), config.get("external.bootstrap-servers"),
                mirror.settings().flowSetting("topics"), mirror.settings().site());
        out.flush();
        mirror.awaitStop();
        return 0;
    }

    /** One line per mirrored topic: records and seconds behind. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "How far the external cluster is behind the factory, per mirrored topic (records, seconds).")
    static final class Status implements Callable<Integer> {

        @Mixin
        CommonOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            List<MirrorFreshness.TopicLag> lags;
            try (MirrorFreshness freshness = MirrorFreshness.create(options.load())) {
                lags = freshness.measure();
            }
            int width = lags.stream().mapToInt(l -> l.mirroredTopic().length()).max().orElse(10);
            out.printf(Locale.ROOT, "%-" + width + "s  %15s  %15s%n", "mirrored topic", "records behind", "seconds behind");
            for (MirrorFreshness.TopicLag lag : lags) {
                String seconds = Double.isNaN(lag.secondsBehind()) ? "n/a (none yet)" : String.format(Locale.ROOT, "%.1f", lag.secondsBehind());
                out.printf(Locale.ROOT, "%-" + width + "s  %,15d  %15s%n", lag.mirroredTopic(), lag.recordsBehind(), seconds);
            }
            out.flush();
            return 0;
        }
    }
}
