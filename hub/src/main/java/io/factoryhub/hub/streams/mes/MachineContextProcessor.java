package io.factoryhub.hub.streams.mes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.factoryhub.hub.streams.JsonSerde;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the equipment, products and work_orders tables from their change events and writes a machine's context each
 * time it changes: the CDC topics are keyed by each table's primary key, the context by machineId (equipment_id).
 * A work order that completes, is cancelled or deleted leaves its machine's context at that change.
 */
final class MachineContextProcessor implements Processor<String, String, String, JsonNode> {

    private static final Logger LOG = LoggerFactory.getLogger(MachineContextProcessor.class);
    private static final String RUNNING = "running";

    private final MesTables tables;
    private ProcessorContext<String, JsonNode> context;
    private KeyValueStore<String, JsonNode> equipment;
    private KeyValueStore<String, JsonNode> products;
    private KeyValueStore<String, JsonNode> orders;
    private KeyValueStore<String, JsonNode> running;
    private KeyValueStore<String, JsonNode> contexts;

    MachineContextProcessor(MesTables tables) {
        this.tables = tables;
    }

    @Override
    public void init(ProcessorContext<String, JsonNode> context) {
        this.context = context;
        equipment = context.getStateStore(MesStores.EQUIPMENT);
        products = context.getStateStore(MesStores.PRODUCTS);
        orders = context.getStateStore(MesStores.WORK_ORDERS);
        running = context.getStateStore(MesStores.RUNNING_ORDERS);
        contexts = context.getStateStore(MesStores.CONTEXTS);
    }

    @Override
    public void process(Record<String, String> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        MesChange change;
        try {
            change = MesChange.parse(record.value());
        } catch (IllegalArgumentException e) {
            LOG.warn("Skipped a record of {} at offset {}: {}", topic,
                    context.recordMetadata().map(RecordMetadata::offset).orElse(-1L), e.getMessage());
            return;
        }
        if (change == null) {
            return;
        }
        Set<String> machines = switch (tables.of(topic)) {
            case EQUIPMENT -> keep(equipment, change, "equipment_id");
            case PRODUCTS -> machinesMaking(keep(products, change, "product_code"));
            case WORK_ORDERS -> orderChanged(change);
            default -> Set.of();
        };
        for (String machineId : machines) {
            refresh(machineId, change.committedAtMs(), record.timestamp());
        }
    }

    /** Puts or deletes the row under its key column; the key, as the machines it concerns when it is equipment_id. */
    private static Set<String> keep(KeyValueStore<String, JsonNode> table, MesChange change, String keyColumn) {
        String key = change.row().path(keyColumn).asText(null);
        if (key == null) {
            LOG.warn("Skipped a change without {}: {}", keyColumn, change.row());
            return Set.of();
        }
        if (change.deleted()) {
            table.delete(key);
        } else {
            table.put(key, change.after());
        }
        return Set.of(key);
    }

    /** The machines whose context names one of these products (one at most: a product code). */
    private Set<String> machinesMaking(Set<String> productCodes) {
        Set<String> machines = new LinkedHashSet<>();
        try (KeyValueIterator<String, JsonNode> all = contexts.all()) {
            while (all.hasNext()) {
                KeyValue<String, JsonNode> entry = all.next();
                if (productCodes.contains(entry.value.path("product_code").asText())) {
                    machines.add(entry.key);
                }
            }
        }
        return machines;
    }

    /** Keeps the order and its machine's running orders; the machines it was and is on. */
    private Set<String> orderChanged(MesChange change) {
        String id = change.row().path("work_order_id").asText(null);
        if (id == null) {
            LOG.warn("Skipped a work order change without work_order_id: {}", change.row());
            return Set.of();
        }
        JsonNode previous = orders.get(id);
        keep(orders, change, "work_order_id");
        Set<String> machines = new LinkedHashSet<>();
        if (previous != null) {
            machines.add(previous.path("equipment_id").asText());
            setRunning(previous.path("equipment_id").asText(), id, false);
        }
        if (!change.deleted()) {
            String machineId = change.after().path("equipment_id").asText();
            machines.add(machineId);
            setRunning(machineId, id, RUNNING.equals(change.after().path("status").asText()));
        }
        return machines;
    }

    private void setRunning(String machineId, String orderId, boolean isRunning) {
        JsonNode ids = running.get(machineId);
        ArrayNode updated = JsonSerde.MAPPER.createArrayNode();
        if (ids != null) {
            ids.forEach(other -> {
                if (!other.asText().equals(orderId)) {
                    updated.add(other);
                }
            });
        }
        if (isRunning) {
            updated.add(orderId);
        }
        if (updated.isEmpty()) {
            running.delete(machineId);
        } else {
            running.put(machineId, updated);
        }
    }

    /** The running order that started last (then the highest id) when the MES runs several on one machine. */
    private JsonNode currentOrder(String machineId) {
        JsonNode ids = running.get(machineId);
        if (ids == null) {
            return null;
        }
        List<JsonNode> rows = new ArrayList<>();
        ids.forEach(id -> rows.add(orders.get(id.asText())));
        return rows.stream().filter(Objects::nonNull)
                .max(Comparator.comparing((JsonNode row) -> startedAt(row))
                        .thenComparing(row -> row.path("work_order_id").asLong()))
                .orElse(null);
    }

    private static long startedAt(JsonNode order) {
        Long started = MesChange.epochMillis(order, "started_at");
        return started == null ? Long.MIN_VALUE : started;
    }

    /** Writes the machine's context when it differs from the last one written (a tombstone when it has none now). */
    private void refresh(String machineId, long committedAtMs, long timestamp) {
        JsonNode order = currentOrder(machineId);
        JsonNode product = order == null ? null : products.get(order.path("product_code").asText());
        ObjectNode now = MachineContext.of(machineId, equipment.get(machineId), order, product);
        JsonNode before = contexts.get(machineId);
        if (Objects.equals(now, before)) {
            return;
        }
        if (now == null) {
            contexts.delete(machineId);
            context.forward(new Record<>(machineId, null, timestamp));
            return;
        }
        contexts.put(machineId, now);
        ObjectNode written = now.deepCopy();
        written.put("updatedAt", Instant.ofEpochMilli(committedAtMs > 0 ? committedAtMs : timestamp).toString());
        context.forward(new Record<>(machineId, written, timestamp));
    }
}
