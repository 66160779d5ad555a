package io.factoryhub.hub.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.eclipse.milo.opcua.sdk.client.subscriptions.MonitoredItemServiceOperationResult;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DeadbandType;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitored items of one subscription, one per configured node id: resolved against the server's namespace table
 * ({@code nsu=} ids), with the configured sampling interval, queue and deadband. Each item carries the index of its
 * node id as user object, which is how a data change finds its node. Node ids the server does not know, or rejects,
 * are logged and left out; the others are monitored.
 */
final class MonitoredItems {

    private static final Logger LOG = LoggerFactory.getLogger(MonitoredItems.class);
    /** Failed monitored items are listed one per line up to this many, then summarised. */
    private static final int MAX_ITEM_WARNINGS = 50;

    private final String id;
    private final OpcUaSubscriptionConfig config;

    MonitoredItems(String id, OpcUaSubscriptionConfig config) {
        this.id = id;
        this.config = config;
    }

    /** Items for the node ids that resolve in {@code namespaces}; the others are counted as unresolved. */
    Resolved resolve(NamespaceTable namespaces) {
        List<OpcUaMonitoredItem> items = new ArrayList<>(config.nodeIds().size());
        int unresolved = 0;
        for (int i = 0; i < config.nodeIds().size(); i++) {
            String configured = config.nodeIds().get(i);
            Optional<NodeId> nodeId = nodeId(configured, namespaces);
            if (nodeId.isEmpty()) {
                if (unresolved++ < MAX_ITEM_WARNINGS) {
                    LOG.warn("[{}] node id {} cannot be resolved on {} (unknown namespace)", id, configured,
                            config.endpointUrl());
                }
                continue;
            }
            items.add(item(nodeId.get(), i));
        }
        return new Resolved(items, unresolved);
    }

    /**
     * Creates the items on the (already created) subscription. Throws when the service call as a whole failed: the
     * subscription is then incomplete and must be replaced. Items the server rejects one by one are logged.
     */
    void createOn(OpcUaSubscription subscription, Resolved resolved) {
        subscription.addMonitoredItems(resolved.items());
        List<MonitoredItemServiceOperationResult> results = subscription.createMonitoredItems();
        for (MonitoredItemServiceOperationResult result : results) {
            if (!result.serviceResult().isGood()) {
                throw new IllegalStateException("CreateMonitoredItems failed: " + result.serviceResult());
            }
        }
        int failed = 0;
        for (MonitoredItemServiceOperationResult result : results) {
            StatusCode status = result.operationResult().orElse(StatusCode.GOOD);
            if (!status.isGood() && failed++ < MAX_ITEM_WARNINGS) {
                int index = (Integer) result.monitoredItem().getUserObject().orElseThrow();
                LOG.warn("[{}] server {} rejected node id {}: {}", id, config.endpointUrl(),
                        config.nodeIds().get(index), status);
            }
        }
        int unresolved = resolved.unresolved();
        if (failed + unresolved > 0) {
            LOG.warn("[{}] {} of {} node ids are not monitored ({} rejected by the server, {} unresolved)",
                    id, failed + unresolved, config.nodeIds().size(), failed, unresolved);
        }
        List<OpcUaMonitoredItem> items = resolved.items();
        LOG.info("[{}] subscription {} on {}: {} monitored items (sampling {} ms, publishing {} ms, queue {} per item, "
                        + "revised by the server to {})", id,
                subscription.getSubscriptionId().map(Object::toString).orElse("?"), config.endpointUrl(),
                results.size() - failed, config.samplingInterval(), subscription.getRevisedPublishingInterval().orElse(null),
                config.queueSize(), items.isEmpty() ? null : items.get(0).getRevisedQueueSize().orElse(null));
    }

    /** The node id's index in the configuration, or null for an item this class did not make. */
    static Integer nodeIndex(OpcUaMonitoredItem item) {
        return item.getUserObject().orElse(null) instanceof Integer index ? index : null;
    }

    private OpcUaMonitoredItem item(NodeId nodeId, int index) {
        OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(nodeId);
        item.setSamplingInterval(config.samplingInterval());
        item.setQueueSize(uint(config.queueSize()));
        item.setDiscardOldest(true);
        if (config.absoluteDeadband() > 0) {
            item.setFilter(new DataChangeFilter(DataChangeTrigger.StatusValue,
                    uint(DeadbandType.Absolute.getValue()), config.absoluteDeadband()));
        }
        item.setUserObject(index);
        return item;
    }

    private static Optional<NodeId> nodeId(String configured, NamespaceTable namespaces) {
        try {
            return ExpandedNodeId.parse(configured).toNodeId(namespaces);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The items to create and how many configured node ids did not resolve. */
    record Resolved(List<OpcUaMonitoredItem> items, int unresolved) {
    }
}
