package io.factoryhub.plant.opcua;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;

/**
 * The simulator's namespace: one folder per path segment below Objects and one Double variable per
 * node path, with node id {@code ns=<index>;s=<nodePath>}.
 *
 * <p>Sampling is left to Milo's {@link SubscriptionModel}: it reads the variables at each monitored
 * item's sampling interval, so the server honours the interval the client asks for (which is what the
 * benchmark measures) and no per-item timer is created by us.
 */
final class MachineNamespace extends ManagedNamespaceWithLifecycle {

    static final String NAMESPACE_URI = "urn:factory-hub:plant-simulator";

    private final SubscriptionModel subscriptionModel;
    /** Node path to variable; a plain map, filled once before the server starts and read-only after. */
    private final Map<String, UaVariableNode> variables = new HashMap<>();

    MachineNamespace(OpcUaServer server, List<String> nodePaths) {
        super(server, NAMESPACE_URI);
        this.subscriptionModel = new SubscriptionModel(server, this);
        getLifecycleManager().addLifecycle(subscriptionModel);
        getLifecycleManager().addStartupTask(() -> createNodes(nodePaths));
    }

    UaVariableNode variable(String nodePath) {
        UaVariableNode node = variables.get(nodePath);
        if (node == null) {
            throw new IllegalArgumentException("unknown node path: " + nodePath);
        }
        return node;
    }

    private void createNodes(List<String> nodePaths) {
        Map<String, UaFolderNode> folders = new HashMap<>();
        DataValue initial = new DataValue(new Variant(0.0), StatusCode.GOOD, DateTime.now());
        for (String path : nodePaths) {
            int slash = path.lastIndexOf('/');
            String tag = path.substring(slash + 1);
            UaVariableNode node = new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
                    .setNodeId(newNodeId(path))
                    .setBrowseName(newQualifiedName(tag))
                    .setDisplayName(LocalizedText.english(tag))
                    .setDataType(NodeIds.Double)
                    .setTypeDefinition(NodeIds.BaseDataVariableType)
                    .setAccessLevel(AccessLevel.READ_ONLY)
                    .setUserAccessLevel(AccessLevel.READ_ONLY)
                    .setValue(initial)
                    .build();
            getNodeManager().addNode(node);
            variables.put(path, node);
            if (slash < 0) {
                organizeBelowObjects(node.getNodeId());
            } else {
                folder(path.substring(0, slash), folders).addOrganizes(node);
            }
        }
    }

    /** Folder for a path prefix like {@code plant-a/line-3/lathe-05}, created with its parents on first use. */
    private UaFolderNode folder(String path, Map<String, UaFolderNode> folders) {
        UaFolderNode existing = folders.get(path);
        if (existing != null) {
            return existing;
        }
        int slash = path.lastIndexOf('/');
        String name = path.substring(slash + 1);
        UaFolderNode folder = new UaFolderNode(getNodeContext(), newNodeId(path),
                newQualifiedName(name), LocalizedText.english(name));
        getNodeManager().addNode(folder);
        folders.put(path, folder);
        if (slash < 0) {
            organizeBelowObjects(folder.getNodeId());
        } else {
            folder(path.substring(0, slash), folders).addOrganizes(folder);
        }
        return folder;
    }

    private void organizeBelowObjects(org.eclipse.milo.opcua.stack.core.types.builtin.NodeId nodeId) {
        getNodeManager().getNode(nodeId).ifPresent(node -> node.addReference(new Reference(
                nodeId, NodeIds.Organizes, NodeIds.ObjectsFolder.expanded(), Reference.Direction.INVERSE)));
    }

    @Override
    public void onDataItemsCreated(List<DataItem> dataItems) {
        subscriptionModel.onDataItemsCreated(dataItems);
    }

    @Override
    public void onDataItemsModified(List<DataItem> dataItems) {
        subscriptionModel.onDataItemsModified(dataItems);
    }

    @Override
    public void onDataItemsDeleted(List<DataItem> dataItems) {
        subscriptionModel.onDataItemsDeleted(dataItems);
    }

    @Override
    public void onMonitoringModeChanged(List<MonitoredItem> monitoredItems) {
        subscriptionModel.onMonitoringModeChanged(monitoredItems);
    }
}
