package io.factoryhub.hub.streams.oee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.factoryhub.hub.streams.JsonSerde;
import io.factoryhub.hub.streams.StoreEntries;
import io.factoryhub.hub.streams.mes.MesChange;
import io.factoryhub.hub.streams.mes.MesStores;
import io.factoryhub.hub.streams.mes.MesTables;
import java.time.Duration;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MES production_counts and downtime_events → OEE facts keyed by machineId (equipment_id), for the machine's OEE task:
 * {@code {"fact":"count","id":..,"at":..,"good":..,"scrap":..,"idealCycleMs":..}} with the ideal cycle time of the
 * count's work order's product, {@code {"fact":"downtime","id":..,"start":..,"end":..,"planned":..}}, and
 * {@code "deleted":true} for a row deleted (or moved to another machine). A count whose work order or product is not
 * known yet waits in {@code oee-pending-counts} and goes on as soon as both are.
 */
final class OeeMesFacts implements Processor<String, String, String, JsonNode> {

    static final String PENDING = "oee-pending-counts";
    private static final Logger LOG = LoggerFactory.getLogger(OeeMesFacts.class);

    private final MesTables tables;
    private ProcessorContext<String, JsonNode> context;
    private KeyValueStore<String, JsonNode> orders;
    private KeyValueStore<String, JsonNode> products;
    private KeyValueStore<String, JsonNode> pending;

    OeeMesFacts(MesTables tables) {
        this.tables = tables;
    }

    @Override
    public void init(ProcessorContext<String, JsonNode> context) {
        this.context = context;
        orders = context.getStateStore(MesStores.WORK_ORDERS);
        products = context.getStateStore(MesStores.PRODUCTS);
        pending = context.getStateStore(PENDING);
        context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, now -> releasePending());
    }

    @Override
    public void process(Record<String, String> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        try {
            MesChange change = MesChange.parse(record.value());
            if (change == null) {
                return;
            }
            switch (tables.of(topic)) {
                case PRODUCTION_COUNTS -> changed(change, "count_id", this::count);
                case DOWNTIME_EVENTS -> changed(change, "downtime_id", OeeMesFacts::downtime);
                default -> {
                }
            }
        } catch (IllegalArgumentException e) {
            LOG.warn("Skipped a record of {} at offset {}: {}", topic,
                    context.recordMetadata().map(RecordMetadata::offset).orElse(-1L), e.getMessage());
        }
    }

    /** Turns a row into its fact; null when it cannot be yet. */
    private interface Fact {
        ObjectNode of(String id, JsonNode row);
    }

    private void changed(MesChange change, String idColumn, Fact fact) {
        String id = text(change.row(), idColumn);
        String machineBefore = change.before() == null ? null : text(change.before(), "equipment_id");
        String machineNow = change.deleted() ? null : text(change.after(), "equipment_id");
        if (machineBefore != null && !machineBefore.equals(machineNow)) {
            ObjectNode deleted = JsonSerde.MAPPER.createObjectNode().put("fact", kind(idColumn)).put("id", id).put("deleted", true);
            // a deletion has no time of its own: 0 moves no stream time
            forward(machineBefore, deleted, 0);
        }
        pending.delete(id);
        if (machineNow == null) {
            return;
        }
        ObjectNode now = fact.of(id, change.after());
        if (now == null) {
            pending.put(id, change.after());
            LOG.debug("MES count {} waits for its work order {} and its product", id, change.after().path("work_order_id"));
        } else {
            forward(machineNow, now, eventTime(now));
        }
    }

    private static String kind(String idColumn) {
        return idColumn.equals("count_id") ? "count" : "downtime";
    }

    private ObjectNode count(String id, JsonNode row) {
        long at = required(MesChange.epochMillis(row, "counted_at"), "counted_at", row);
        Long ideal = MesStores.idealCycleMs(orders, products, text(row, "work_order_id"));
        if (ideal == null) {
            return null;
        }
        return JsonSerde.MAPPER.createObjectNode().put("fact", "count").put("id", id).put("at", at)
                .put("good", row.path("good_count").asLong()).put("scrap", row.path("scrap_count").asLong())
                .put("idealCycleMs", ideal);
    }

    private static ObjectNode downtime(String id, JsonNode row) {
        return JsonSerde.MAPPER.createObjectNode().put("fact", "downtime").put("id", id)
                .put("start", required(MesChange.epochMillis(row, "started_at"), "started_at", row))
                .put("end", MesChange.epochMillis(row, "ended_at"))
                .put("planned", row.path("planned").asBoolean());
    }

    private static long required(Long time, String column, JsonNode row) {
        if (time == null) {
            throw new IllegalArgumentException("no " + column + " in " + row);
        }
        return time;
    }

    private void releasePending() {
        for (KeyValue<String, JsonNode> count : StoreEntries.all(pending)) {
            ObjectNode fact = count(count.key, count.value);
            if (fact != null) {
                pending.delete(count.key);
                forward(text(count.value, "equipment_id"), fact, eventTime(fact));
            }
        }
    }

    /**
     * When the fact happened: the record's time, which becomes part of the stream time of the machine's task and must
     * be event time like the telemetry's there, not when CDC captured it.
     */
    private static long eventTime(JsonNode fact) {
        return fact.has("at") ? fact.get("at").asLong()
                : fact.hasNonNull("end") ? fact.get("end").asLong() : fact.get("start").asLong();
    }

    private void forward(String machineId, ObjectNode fact, long time) {
        context.forward(new Record<>(machineId, fact, Math.max(time, 0)));
    }

    private static String text(JsonNode row, String column) {
        JsonNode value = row.get(column);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("no " + column + " in " + row);
        }
        return value.asText();
    }
}
