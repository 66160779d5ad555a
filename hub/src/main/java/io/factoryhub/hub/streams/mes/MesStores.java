package io.factoryhub.hub.streams.mes;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The MES tables the context part keeps (local stores of its one task: the CDC topics have one partition each), by
 * name for the parts that read them too (OEE looks up a count's work order and product).
 */
public final class MesStores {

    /** equipment_id → the equipment row. */
    public static final String EQUIPMENT = "mes-equipment";
    /** product_code → the products row. */
    public static final String PRODUCTS = "mes-products";
    /** work_order_id (as text) → the work_orders row, every order (a count may come after its order completed). */
    public static final String WORK_ORDERS = "mes-work-orders";
    /** equipment_id → the ids of its running work orders (JSON array): the current one without scanning all orders. */
    static final String RUNNING_ORDERS = "mes-running-orders";
    /** machineId → the context last written to factory.machine.context (without updatedAt), to write only changes. */
    static final String CONTEXTS = "mes-contexts";

    private MesStores() {
    }

    /** The ideal cycle time of a work order's product, from the two stores; null while either is not known. */
    public static Long idealCycleMs(KeyValueStore<String, JsonNode> orders, KeyValueStore<String, JsonNode> products,
                                    String workOrderId) {
        JsonNode order = orders.get(workOrderId);
        JsonNode product = order == null ? null : products.get(order.path("product_code").asText());
        JsonNode ideal = product == null ? null : product.get("ideal_cycle_ms");
        return ideal == null || !ideal.canConvertToLong() ? null : ideal.asLong();
    }
}
