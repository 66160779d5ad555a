package io.factoryhub.hub.streams.mes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.factoryhub.hub.streams.JsonSerde;

/**
 * A machine's MES context as {@code factory.machine.context} carries it: the equipment row's site, line and status,
 * and its running work order with the order's product. The work-order fields are null while none runs.
 */
public final class MachineContext {

    private MachineContext() {
    }

    /**
     * @param equipment the {@code equipment} row, null when the MES does not know the machine
     * @param order     the running {@code work_orders} row, null when none runs
     * @param product   the order's {@code products} row, null when not known (yet)
     * @return null when the MES knows neither the machine nor a running order of it: no context (a tombstone)
     */
    public static ObjectNode of(String machineId, JsonNode equipment, JsonNode order, JsonNode product) {
        if (equipment == null && order == null) {
            return null;
        }
        ObjectNode context = JsonSerde.MAPPER.createObjectNode();
        context.put("machineId", machineId);
        context.set("site", column(equipment, "site"));
        context.set("line", column(equipment, "line"));
        context.set("equipment_status", column(equipment, "status"));
        context.set("work_order_id", column(order, "work_order_id"));
        context.set("order_number", column(order, "order_number"));
        context.set("product_code", column(order, "product_code"));
        context.set("work_order_status", column(order, "status"));
        context.set("ideal_cycle_ms", column(order == null ? null : product, "ideal_cycle_ms"));
        return context;
    }

    private static JsonNode column(JsonNode row, String name) {
        JsonNode value = row == null ? null : row.get(name);
        return value == null ? NullNode.getInstance() : value;
    }
}
