package io.factoryhub.app;

import static io.factoryhub.app.support.KafkaRecords.keyed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.factoryhub.app.support.HubUnderTest;
import io.factoryhub.app.support.KafkaRecords;
import io.factoryhub.app.support.RunningHub;
import io.factoryhub.app.support.TestPlant;
import io.factoryhub.hub.rules.RuleJson;
import io.factoryhub.hub.rules.RulePublisher;
import io.factoryhub.testkit.Waits;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import kafka.tools.ConsoleProducer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Exit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * rules/ on the control topic: a rule file dropped in, edited or deleted while the hub runs is published, republished
 * or tombstoned within seconds; a broken edit publishes nothing; files deleted while the hub was stopped are
 * tombstoned when it starts, and operators' rules written to the topic directly are left alone.
 */
class RuleFilePublishingTest {

    /** Each test class of its own control topic: other classes' hubs publish their rules to theirs. */
    private static final String TOPIC = "test.rules." + UUID.randomUUID();
    /** A file change is on the topic within a few polls (200 ms each in tests); a loaded CI machine gets slack. */
    private static final Duration PUBLISHED = Duration.ofSeconds(10);
    /** How long to watch for a record that must not come: several polls. */
    private static final Duration QUIET = Duration.ofSeconds(2);

    @RegisterExtension
    static final RunningHub HUB = new RunningHub(Map.of(
            "factory.streams.enabled", "true",
            "factory.streams.application-id", "test-rule-files-" + UUID.randomUUID(),
            "factory.topic.rules", TOPIC), hub -> Files.writeString(hub.rules().resolve("at-start.rule.yaml"), rule("at-start", 80)));

    @Test
    void should_publish_the_rules_there_at_start() {
        try (KafkaRecords topic = new KafkaRecords(HUB.plant().bootstrapServers(), TOPIC)) {
            ConsumerRecord<String, String> record = topic.await(keyed("at-start"), 1, PUBLISHED).get(0);
            assertEquals(json("at-start", 80), record.value());
            assertEquals(HUB.hub().rules().resolve("at-start.rule.yaml").toString(), KafkaRecords.header(record, RulePublisher.SOURCE_HEADER));
        }
    }

    @Test
    void should_publish_a_dropped_file_and_republish_an_edit() throws Exception {
        Path file = HUB.hub().rules().resolve("dropped.rule.yaml");
        try (KafkaRecords topic = new KafkaRecords(HUB.plant().bootstrapServers(), TOPIC)) {
            long dropped = System.nanoTime();
            Files.writeString(file, rule("dropped", 80));
            assertEquals(json("dropped", 80), topic.await(keyed("dropped"), 1, PUBLISHED).get(0).value());
            System.out.printf("rule file dropped -> on the topic: %d ms%n", (System.nanoTime() - dropped) / 1_000_000);
            Files.writeString(file, rule("dropped", 85.5));
            assertEquals(json("dropped", 85.5), topic.await(keyed("dropped"), 2, PUBLISHED).get(1).value());
        }
    }

    @Test
    void should_tombstone_a_deleted_file() throws Exception {
        Path file = HUB.hub().rules().resolve("deleted.rule.yaml");
        try (KafkaRecords topic = new KafkaRecords(HUB.plant().bootstrapServers(), TOPIC)) {
            Files.writeString(file, rule("deleted", 80));
            topic.await(keyed("deleted"), 1, PUBLISHED);
            Files.delete(file);
            ConsumerRecord<String, String> tombstone = topic.await(keyed("deleted"), 2, PUBLISHED).get(1);
            assertNull(tombstone.value());
            assertEquals(file.toString(), KafkaRecords.header(tombstone, RulePublisher.SOURCE_HEADER));
        }
    }

    @Test
    void should_refuse_a_broken_edit_and_keep_the_published_version() throws Exception {
        Path file = HUB.hub().rules().resolve("broken.rule.yaml");
        ListAppender<ILoggingEvent> log = capture();
        try (KafkaRecords topic = new KafkaRecords(HUB.plant().bootstrapServers(), TOPIC)) {
            Files.writeString(file, rule("broken", 80));
            topic.await(keyed("broken"), 1, PUBLISHED);
            Files.writeString(file, rule("broken", 90).replace("op: \">\"", "op: \"=>\""));
            assertTrue(Waits.within(PUBLISHED, () -> refusals(log).stream().anyMatch(message -> message.contains(
                    file + ":13: property 'spec.when.all[0].op': '=>' is not one of"))), refusals(log).toString());
            assertTrue(refusals(log).get(0).contains("its previous version stays in force"), refusals(log).toString());
            assertEquals(List.of(json("broken", 80)), topic.settle(keyed("broken"), QUIET).stream().map(ConsumerRecord::value).toList());
            Files.writeString(file, rule("broken", 90));
            assertEquals(json("broken", 90), topic.await(keyed("broken"), 2, PUBLISHED).get(1).value());
        } finally {
            ((Logger) LoggerFactory.getLogger(RulePublisher.class)).detachAppender(log);
        }
    }

    /** The publisher alone (no hub around it) against the same topic, started twice over one rules/ folder. */
    @Test
    void should_tombstone_on_start_what_was_deleted_while_stopped_and_leave_operators_rules_alone() throws Exception {
        HubUnderTest stopped = new HubUnderTest(TestPlant.shared(), Map.of("factory.topic.rules", TOPIC));
        Path kept = stopped.rules().resolve("kept.rule.yaml");
        Path removed = stopped.rules().resolve("removed.rule.yaml");
        Files.writeString(kept, rule("kept", 80));
        Files.writeString(removed, rule("removed", 80));
        try (KafkaRecords topic = new KafkaRecords(HUB.plant().bootstrapServers(), TOPIC)) {
            try (RulePublisher publisher = RulePublisher.start(stopped.config())) {
                topic.await(keyed("kept"), 1, PUBLISHED);
                topic.await(keyed("removed"), 1, PUBLISHED);
            }
            publishDirectly("by-operator", json("by-operator", 70));
            Files.delete(removed);
            try (RulePublisher publisher = RulePublisher.start(stopped.config())) {
                assertNull(topic.await(keyed("removed"), 2, PUBLISHED).get(1).value());
                assertEquals(1, topic.settle(keyed("kept"), QUIET).size(), "an unchanged file is not published again");
                assertEquals(List.of(json("by-operator", 70)),
                        topic.settle(keyed("by-operator"), Duration.ZERO).stream().map(ConsumerRecord::value).toList());
            }
        }
    }

    /** README "The control topic": a rule and its tombstone with Kafka's console producer, as written there. */
    @Test
    void should_take_the_readmes_console_producer_commands() throws Exception {
        String rule = "{\"apiVersion\":\"factory-hub/v1\",\"kind\":\"Rule\",\"metadata\":{\"name\":\"lathe-hot\"},"
                + "\"spec\":{\"machines\":\"lathe-.*\",\"group\":\"thermal\",\"weight\":10,\"state\":\"WARNING\","
                + "\"when\":{\"any\":[{\"tag\":\"temperature\",\"op\":\">\",\"value\":70,\"for\":\"1m\"}]}}}";
        try (KafkaRecords topic = new KafkaRecords(HUB.plant().bootstrapServers(), TOPIC)) {
            consoleProducer("lathe-hot|" + rule + "\n", "--bootstrap-server", HUB.plant().bootstrapServers(), "--topic", TOPIC,
                    "--property", "parse.key=true", "--property", "key.separator=|");
            ConsumerRecord<String, String> published = topic.await(keyed("lathe-hot"), 1, PUBLISHED).get(0);
            assertEquals(rule, published.value());
            assertEquals("lathe-hot", RuleJson.read(new ObjectMapper().readTree(published.value())).name());
            consoleProducer("lathe-hot|NULL\n", "--bootstrap-server", HUB.plant().bootstrapServers(), "--topic", TOPIC,
                    "--property", "parse.key=true", "--property", "key.separator=|", "--property", "null.marker=NULL");
            assertNull(topic.await(keyed("lathe-hot"), 2, PUBLISHED).get(1).value());
        }
    }

    private static String rule(String name, double threshold) {
        return """
                # a test rule
                apiVersion: factory-hub/v1
                kind: Rule
                metadata:
                  name: %s
                spec:
                  machines: "press-.*"
                  group: thermal
                  weight: 10
                  state: WARNING
                  when:
                    all:
                      - {tag: temperature, op: ">", value: %s, for: 5m}
                  context: {product_code: BRK-220}
                """.formatted(name, threshold == Math.rint(threshold) ? String.valueOf((long) threshold) : String.valueOf(threshold));
    }

    /** The file of {@link #rule} as the compact JSON the topic carries, written out by hand. */
    private static String json(String name, double threshold) {
        String value = threshold == Math.rint(threshold) ? String.valueOf((long) threshold) : String.valueOf(threshold);
        return "{\"apiVersion\":\"factory-hub/v1\",\"kind\":\"Rule\",\"metadata\":{\"name\":\"" + name + "\"},"
                + "\"spec\":{\"machines\":\"press-.*\",\"group\":\"thermal\",\"weight\":10,\"state\":\"WARNING\","
                + "\"when\":{\"all\":[{\"tag\":\"temperature\",\"op\":\">\",\"value\":" + value + ",\"for\":\"5m\"}]},"
                + "\"context\":{\"product_code\":\"BRK-220\"}}}";
    }

    private static void publishDirectly(String name, String value) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, HUB.plant().bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, name, value)).get();
        }
    }

    /** Runs kafka-console-producer.sh's class on {@code stdin}; it ends by exiting, which is caught here. */
    private static void consoleProducer(String stdin, String... args) {
        InputStream in = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        Exit.setExitProcedure((code, message) -> {
            throw new ConsoleExit(code);
        });
        try {
            ConsoleProducer.main(args);
        } catch (ConsoleExit exit) {
            assertEquals(0, exit.code, "kafka-console-producer's exit code");
        } finally {
            Exit.resetExitProcedure();
            System.setIn(in);
        }
    }

    /** An Error, not an Exception: the tool catches every Exception, also the one of its own successful exit. */
    private static final class ConsoleExit extends Error {
        final int code;

        ConsoleExit(int code) {
            super("exit " + code);
            this.code = code;
        }
    }

    private static ListAppender<ILoggingEvent> capture() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(RulePublisher.class)).addAppender(appender);
        return appender;
    }

    private static List<String> refusals(ListAppender<ILoggingEvent> log) {
        synchronized (log) {
            return log.list.stream().filter(event -> event.getMessage().startsWith("Rule file refused"))
                    .map(ILoggingEvent::getFormattedMessage).toList();
        }
    }
}
