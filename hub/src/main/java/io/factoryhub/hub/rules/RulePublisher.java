package io.factoryhub.hub.rules;

import io.factoryhub.hub.KafkaProducerSettings;
import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.hub.reload.FileStamps;
import io.factoryhub.hub.reload.Polling;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the rule files of {@code factory.rules-dir} to the control topic {@code factory.rules} (key = rule name,
 * value = the rule as compact JSON), at start and whenever a file changes; a deleted file's rule gets a tombstone.
 * The topic, not the files, is what every hub instance evaluates. A refused file publishes nothing: what was
 * published before stays in force. Each record names its file in the {@value #SOURCE_HEADER} header, so a hub that
 * starts finds the rules whose file was deleted while it was stopped and deletes them too; rules that operators
 * write to the topic directly (no such header) are theirs, never touched here.
 */
public final class RulePublisher implements AutoCloseable {

    /** The absolute path of the file a record was published from. */
    public static final String SOURCE_HEADER = "factory_rule_source";
    private static final Logger LOG = LoggerFactory.getLogger(RulePublisher.class);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

    private final Path directory;
    private final String topic;
    private final Producer<String, String> producer;
    private final FileStamps stamps = new FileStamps();
    /** What the topic holds from each file of the directory (also from before this start). */
    private final Map<Path, Published> published = new HashMap<>();
    private Polling polling;

    private record Published(String name, String value) {
    }

    private RulePublisher(Path directory, String topic, Producer<String, String> producer) {
        this.directory = directory;
        this.topic = topic;
        this.producer = producer;
    }

    /** Reads what the topic holds from this directory's files, publishes what differs, then watches the files. */
    public static RulePublisher start(HubConfig config) {
        Path directory = config.getPath("factory.rules-dir").toAbsolutePath().normalize();
        String topic = config.get("factory.topic.rules");
        String bootstrapServers = config.get("factory.kafka.bootstrap-servers");
        RulePublisher publisher = new RulePublisher(directory, topic, new KafkaProducer<>(
                KafkaProducerSettings.producer(config), new StringSerializer(), new StringSerializer()));
        try {
            for (RuleTopic.FromFile rule : RuleTopic.fromFiles(bootstrapServers, topic, KAFKA_TIMEOUT)) {
                if (directory.equals(rule.file().getParent())) {
                    publisher.published.put(rule.file(), new Published(rule.name(), rule.value()));
                }
            }
            publisher.publishChanges();
        } catch (RuntimeException e) {
            publisher.close();
            throw e;
        }
        LOG.info("Watching {} for rule files: {} of its rules on {}", directory, publisher.published.size(), topic);
        publisher.polling = Polling.every(config.getInt("factory.reload.interval-ms"), "rule-file-publisher",
                publisher::publishChanges);
        return publisher;
    }

    /** One pass: tombstones for files gone, the rule of each new or changed file. */
    synchronized void publishChanges() {
        List<Path> files = RuleFile.in(directory);
        FileStamps.Changes changes = stamps.update(files);
        for (Path gone : List.copyOf(published.keySet())) {
            if (!files.contains(gone)) {
                withdraw(gone);
            }
        }
        changes.changed().forEach(this::publish);
    }

    private void publish(Path file) {
        RuleFile rule;
        try {
            rule = RuleFile.read(file);
        } catch (InvalidRuleFile e) {
            LOG.error("Rule file refused, nothing published ({}): {}", published.containsKey(file)
                    ? "its previous version stays in force" : "it has no previous version", e.getMessage());
            return;
        }
        Published now = new Published(rule.rule().name(), rule.document().toString());
        if (now.equals(published.get(file))) {
            return; // on the topic already: touched, or unchanged since before this start
        }
        if (send(file, now.name(), now.value())) {
            published.put(file, now);
            LOG.info("Rule '{}' published from {}", now.name(), file);
        } else {
            stamps.forget(file); // the next pass tries again
        }
    }

    /** Deletes the rule of a file that is gone; kept until the tombstone is written, so a failure is retried. */
    private void withdraw(Path file) {
        String name = published.get(file).name();
        if (send(file, name, null)) {
            published.remove(file);
            LOG.info("Rule '{}' deleted: {} is gone", name, file);
        }
    }

    private boolean send(Path file, String name, String value) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, name, value);
        record.headers().add(SOURCE_HEADER, file.toString().getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(record).get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            LOG.error("Rule '{}' of {} not written to {} (next try in the next pass): {}", name, file, topic, e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public synchronized void close() {
        if (polling != null) {
            polling.close();
        }
        producer.close(KAFKA_TIMEOUT);
    }
}
