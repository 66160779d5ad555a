package io.factoryhub.app.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The change history of one row, read from its CDC topic ({@code mes.<schema>.<table>}) from the beginning up to the
 * end offsets at the time of the call, in topic order (= commit order: one partition per table).
 */
public final class RowHistory {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One change of the row: Debezium's envelope, parsed. */
    public record Change(long offset, String op, Instant committed, String txId, String lsn, JsonNode before, JsonNode after) {
    }

    private RowHistory() {
    }

    /**
     * @param primaryKey the key's value for a one-column key ({@code 42}, {@code press-01}), or
     *                   {@code col=value,col=value} for a composite one
     */
    public static List<Change> read(String bootstrapServers, String topic, String primaryKey, Duration timeout) {
        List<Change> changes = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "factory-hub-audit-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
            if (partitions == null || partitions.isEmpty()) {
                throw new IllegalArgumentException("No topic " + topic + " on Kafka at " + bootstrapServers
                        + " (has CDC run? is the table name right?)");
            }
            List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, timeout);
            Instant deadline = Instant.now().plus(timeout);
            while (!reached(consumer, end)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("Reading " + topic + " did not reach its end within " + timeout);
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null && matches(record.key(), primaryKey)) {
                        changes.add(parse(record));
                    }
                }
            }
        }
        return changes;
    }

    public static void print(PrintWriter out, String table, String primaryKey, List<Change> changes) {
        out.println(table + " " + primaryKey + ": " + changes.size() + " change" + (changes.size() == 1 ? "" : "s"));
        for (Change change : changes) {
            out.printf("%s  %-6s  txId=%s  lsn=%s%n", change.committed(), opName(change.op()), change.txId(), change.lsn());
            switch (change.op()) {
                case "u" -> diff(change.before(), change.after()).forEach(line -> out.println("    " + line));
                case "d" -> fields(change.before()).forEach(f -> out.println("    " + f + ": " + text(change.before().get(f)) + " -> (deleted)"));
                default -> fields(change.after()).forEach(f -> out.println("    " + f + " = " + text(change.after().get(f))));
            }
        }
        out.flush();
    }

    /** Changed columns as {@code column: old -> new}; a column added since shows as {@code (absent) -> new}. */
    static List<String> diff(JsonNode before, JsonNode after) {
        List<String> lines = new ArrayList<>();
        Set<String> columns = new LinkedHashSet<>(fields(before));
        columns.addAll(fields(after));
        for (String column : columns) {
            JsonNode old = before == null ? null : before.get(column);
            JsonNode now = after == null ? null : after.get(column);
            if (old == null || now == null || !old.equals(now)) {
                lines.add(column + ": " + (old == null ? "(absent)" : text(old)) + " -> " + (now == null ? "(absent)" : text(now)));
            }
        }
        return lines;
    }

    private static boolean reached(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    static boolean matches(String keyJson, String primaryKey) {
        if (keyJson == null) {
            return false;
        }
        try {
            JsonNode key = JSON.readTree(keyJson);
            if (primaryKey.contains("=")) {
                for (String part : primaryKey.split(",")) {
                    String[] kv = part.split("=", 2);
                    JsonNode value = key.get(kv[0].trim());
                    if (value == null || !value.asText().equals(kv[1].trim())) {
                        return false;
                    }
                }
                return true;
            }
            return key.size() == 1 && key.elements().next().asText().equals(primaryKey);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static Change parse(ConsumerRecord<String, String> record) {
        try {
            JsonNode value = JSON.readTree(record.value());
            JsonNode source = value.path("source");
            long tsMs = source.path("ts_ms").asLong(value.path("ts_ms").asLong());
            return new Change(record.offset(), value.path("op").asText(), Instant.ofEpochMilli(tsMs),
                    source.path("txId").asText(), source.path("lsn").asText(), value.get("before"), value.get("after"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Record at offset " + record.offset() + " of " + record.topic() + " is not a Debezium envelope", e);
        }
    }

    private static List<String> fields(JsonNode row) {
        List<String> names = new ArrayList<>();
        if (row != null && row.isObject()) {
            for (Iterator<String> it = row.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
        }
        return names;
    }

    private static String text(JsonNode value) {
        return value == null || value.isNull() ? "null" : value.isTextual() ? value.asText() : value.toString();
    }

    private static String opName(String op) {
        return switch (op) {
            case "r" -> "read";
            case "c" -> "insert";
            case "u" -> "update";
            case "d" -> "delete";
            case "t" -> "truncate";
            default -> op;
        };
    }
}
