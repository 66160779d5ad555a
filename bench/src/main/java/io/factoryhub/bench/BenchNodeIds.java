package io.factoryhub.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The node ids of the OPC-UA bench as a Camel bean ({@code nodeIds: "#benchNodeIds"} in the Pipe): 20,000 ids
 * are about a megabyte, too much for a Pipe property that ends up in an endpoint URI. Camel Main creates the bean
 * from {@code camel.beans.benchNodeIds=#class:...} with the no-argument constructor, which copies the list the
 * bench set beforehand (same JVM).
 */
public class BenchNodeIds extends ArrayList<String> {

    private static volatile List<String> current = List.of();

    public BenchNodeIds() {
        super(current);
    }

    static void set(List<String> nodeIds) {
        current = List.copyOf(nodeIds);
    }
}
