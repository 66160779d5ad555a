package io.factoryhub.app;

import io.factoryhub.hub.config.HubConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints records of a topic as they arrive: the quickest way to see telemetry flowing. */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Print records of a factory Kafka topic (key, value) as they arrive; Ctrl-C to stop.")
public final class WatchCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;

    @Option(names = "--topic", defaultValue = "factory.machine.telemetry", description = "Topic to watch (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--from-beginning", description = "Start at the oldest record instead of new ones.")
    boolean fromBeginning;

    @Option(names = "--max", defaultValue = "0", description = "Stop after this many records (0 = never).")
    long max;

    @Override
    public Integer call() {
        HubConfig config = options.load();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get("factory.kafka.bootstrap-servers"),
                ConsumerConfig.GROUP_ID_CONFIG, "factory-hub-watch-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long printed = 0;
            while (max == 0 || printed < max) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    System.out.println(record.key() + "\t" + record.value());
                    if (++printed == max) {
                        break;
                    }
                }
            }
        }
        return 0;
    }
}
