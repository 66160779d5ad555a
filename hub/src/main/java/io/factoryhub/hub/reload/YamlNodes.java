package io.factoryhub.hub.reload;

import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/** Read-only helpers over snakeyaml-engine's node tree, which keeps the line numbers the messages need. */
public final class YamlNodes {

    private YamlNodes() {
    }

    public static Optional<Node> child(Node node, String key) {
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode scalar && scalar.getValue().equals(key)) {
                    return Optional.of(tuple.getValueNode());
                }
            }
        }
        return Optional.empty();
    }

    /** The key node of an entry, where a misspelt or unknown property is. */
    public static Optional<Node> key(Node node, String key) {
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode scalar && scalar.getValue().equals(key)) {
                    return Optional.of(scalar);
                }
            }
        }
        return Optional.empty();
    }

    static Optional<String> text(Node node, String key) {
        return child(node, key).filter(ScalarNode.class::isInstance).map(n -> ((ScalarNode) n).getValue());
    }

    /** A value that is not a node of its own (a URI option), placed where the node holding it is. */
    static ScalarNode scalarAt(String value, Node at) {
        return new ScalarNode(Tag.STR, true, value, ScalarStyle.PLAIN, at.getStartMark(), at.getEndMark());
    }

    public static int line(Node node) {
        return node.getStartMark().map(mark -> mark.getLine() + 1).orElse(0);
    }
}
