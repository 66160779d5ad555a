package io.factoryhub.app.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Pipe a test or a bench drops into a connectors folder: a source kamelet, {@code telemetry-normalize-action} and
 * {@code factory-kafka-sink} — the same path a user's connector takes through the hub. Test support of the fault
 * tests, and the benchmarks' Pipe too (the bench module uses app's test jar), so both run the same connector.
 */
public final class TelemetryPipe {

    private TelemetryPipe() {
    }

    /** Writes {@code <name>.pipe.yaml} into {@code connectors} and returns the folder. */
    public static Path write(Path connectors, String name, String sourceKamelet, Map<String, String> sourceProperties,
                      Map<String, String> normalizeProperties, String topic) throws Exception {
        Files.createDirectories(connectors);
        Files.writeString(connectors.resolve(name + ".pipe.yaml"), """
                # written by factory-hub's tests or bench
                apiVersion: camel.apache.org/v1
                kind: Pipe
                metadata:
                  name: %s
                spec:
                  source:
                    ref:
                      kind: Kamelet
                      apiVersion: camel.apache.org/v1
                      name: %s
                    properties:
                %s
                  steps:
                    - ref:
                        kind: Kamelet
                        apiVersion: camel.apache.org/v1
                        name: telemetry-normalize-action
                      properties:
                %s
                  sink:
                    ref:
                      kind: Kamelet
                      apiVersion: camel.apache.org/v1
                      name: factory-kafka-sink
                    properties:
                      topic: "%s"
                """.formatted(name, sourceKamelet, properties(sourceProperties, 6), properties(normalizeProperties, 8), topic));
        return connectors;
    }

    private static String properties(Map<String, String> properties, int indent) {
        String pad = " ".repeat(indent);
        return properties.entrySet().stream()
                .map(p -> pad + p.getKey() + ": \"" + p.getValue() + "\"")
                .collect(Collectors.joining("\n"));
    }
}
