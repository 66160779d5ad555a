package io.factoryhub.app;

import io.factoryhub.hub.KafkaProducerSettings;
import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.hub.lake.LakeBucket;
import io.factoryhub.hub.lake.LakeReplay;
import io.factoryhub.hub.lake.S3Settings;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./factory-hub replay}: lake objects back into Kafka, in offset order per partition. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Reads a period of a topic back from the data lake (S3) into Kafka, partition by partition in offset order,",
                "with key, headers and timestamp. A corrupt object is reported and skipped (exit code 1 at the end)."})
public final class ReplayCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;

    @Spec
    CommandSpec spec;

    @Option(names = "--topic", required = true, description = "Topic whose lake objects are replayed.")
    String topic;

    @Option(names = "--from", required = true, converter = TimeConverter.class,
            description = "Start (inclusive), UTC: 2026-11-22T10:00:00Z, 2026-11-22T10:00 or 2026-11-22.")
    Instant from;

    @Option(names = "--to", converter = TimeConverter.class, description = "End (exclusive), same forms; default: now.")
    Instant to;

    @Option(names = "--target-topic", description = "Topic to write to (default: --topic itself).")
    String targetTopic;

    @Option(names = "--rate", defaultValue = "0", description = "Records per second at most (default: 0 = no limit).")
    int rate;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        HubConfig config = options.load();
        Instant end = to == null ? Instant.now() : to;
        String target = targetTopic == null ? topic : targetTopic;
        try (DefaultCamelContext camel = new DefaultCamelContext();
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaProducerSettings.producer(config),
                        new ByteArraySerializer(), new ByteArraySerializer())) {
            camel.start();
            try (LakeBucket bucket = LakeBucket.open(camel, S3Settings.from(config), config.get("factory.lake.bucket"))) {
                LakeReplay.Result result = new LakeReplay(bucket, producer, out).replay(topic, from, end, target, rate);
                out.printf("replay: done, %,d records from %d objects into %s%s%n", result.records(),
                        result.objects() - result.corrupt().size(), target,
                        result.corrupt().isEmpty() ? "" : "; " + result.corrupt().size() + " corrupt object(s) skipped: " + result.corrupt());
                out.flush();
                return result.corrupt().isEmpty() ? 0 : 1;
            }
        }
    }

    /** ISO instant, or a date-time / date without zone taken as UTC. */
    static final class TimeConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException notInstant) {
                try {
                    return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException notDateTime) {
                    return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
                }
            }
        }
    }
}
