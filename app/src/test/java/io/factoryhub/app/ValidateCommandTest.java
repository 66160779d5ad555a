package io.factoryhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.factoryhub.app.support.HubUnderTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./factory-hub validate: offline, same messages as the running hub, non-zero exit on any problem. */
class ValidateCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void should_pass_on_the_repo_files() throws Exception {
        int exit = validate(configFor(HubUnderTest.REPO));
        assertEquals(0, exit, err.toString());
        assertTrue(out.toString().matches("(?s)\\d+ files checked, 0 problems\\s*"), out.toString());
    }

    @Test
    void should_fail_naming_file_line_and_property(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve("routes"));
        Files.createDirectories(home.resolve("connectors"));
        Files.writeString(home.resolve("connectors/bad.pipe.yaml"), """
                apiVersion: camel.apache.org/v1
                kind: Pipe
                metadata:
                  name: bad
                spec:
                  source:
                    ref: {kind: Kamelet, apiVersion: camel.apache.org/v1, name: mqtt5-source}
                    properties:
                      brokerUrl: tcp://localhost:1883
                      topic: a/b
                      qoss: 1
                  sink:
                    ref: {kind: Kamelet, apiVersion: camel.apache.org/v1, name: no-such-sink}
                """);
        Files.writeString(home.resolve("routes/broken.camel.yaml"), "- route:\n    from: [\n");
        int exit = validate(configFor(home));
        assertEquals(1, exit);
        String errors = err.toString();
        assertTrue(errors.contains("bad.pipe.yaml:11: property 'qoss': unknown property of kamelet 'mqtt5-source'"), errors);
        assertTrue(errors.contains("bad.pipe.yaml:13: property 'spec.sink.ref.name': unknown kamelet 'no-such-sink'"), errors);
        assertTrue(errors.contains("broken.camel.yaml:3: invalid YAML"), errors);
        assertTrue(out.toString().contains("2 files checked, 3 problems"), out.toString());
    }

    /** The same messages as at reload: values against the kamelet's schema, resolved with the configuration. */
    @Test
    void should_check_values_against_the_kamelets_schema_with_the_configuration(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve("connectors"));
        Files.writeString(home.resolve("connectors/typed.pipe.yaml"), """
                apiVersion: camel.apache.org/v1
                kind: "Pipe"
                metadata:
                  name: typed
                spec:
                  source:
                    ref: {kind: Kamelet, apiVersion: camel.apache.org/v1, name: mqtt5-source}
                    properties:
                      brokerUrl: "{{factory.mqtt.broker-url}}"
                      topic: a/b
                      qos: one
                  steps:
                    - ref: {kind: Kamelet, apiVersion: camel.apache.org/v1, name: telemetry-normalize-action}
                      properties:
                        format: xml
                        line: "{{factory.no-such-key}}"
                  sink:
                    ref: {kind: Kamelet, apiVersion: camel.apache.org/v1, name: factory-kafka-sink}
                """);
        assertEquals(1, validate(configFor(home)));
        String errors = err.toString();
        assertTrue(errors.contains("typed.pipe.yaml:11: property 'qos': 'one' string found, integer expected"), errors);
        assertTrue(errors.contains("typed.pipe.yaml:15: property 'format': 'xml' does not have a value in the enumeration"), errors);
        assertTrue(errors.contains("typed.pipe.yaml:16: property 'line': cannot resolve '{{factory.no-such-key}}'"), errors);
        assertTrue(out.toString().contains("1 files checked, 3 problems"), out.toString());
    }

    /** rules/: the messages the hub logs when it refuses a rule file, from the same reader. */
    @Test
    void should_check_rule_files(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve("rules"));
        Files.copy(HubUnderTest.REPO.resolve("rules/bearing-wear.rule.yaml"), home.resolve("rules/bearing-wear.rule.yaml"));
        Files.writeString(home.resolve("rules/too-hot.rule.yaml"), """
                apiVersion: factory-hub/v1
                kind: Rule
                metadata: {name: too-hot}
                spec:
                  group: thermal
                  state: WARNING
                  when:
                    all:
                      - {tag: temperature, op: ">", value: 80, for: 5 minutes}
                """);
        Files.writeString(home.resolve("rules/renamed.rule.yaml"), Files.readString(home.resolve("rules/bearing-wear.rule.yaml")));
        assertEquals(1, validate(configFor(home)));
        String errors = err.toString();
        assertTrue(errors.contains("too-hot.rule.yaml:9: property 'spec.when.all[0].for': '5 minutes' is not a duration"), errors);
        assertTrue(errors.contains("renamed.rule.yaml:12: property 'metadata.name': 'bearing-wear' is not the file's name"), errors);
        assertTrue(out.toString().contains("3 files checked, 2 problems"), out.toString());
    }

    private int validate(Path config) {
        return FactoryHubCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), "validate", "--config", config.toString());
    }

    private static Path configFor(Path home) throws Exception {
        Path config = Files.createTempFile("factory-hub", ".properties");
        Files.writeString(config, "factory.home=" + home + "\nfactory.kamelets-dir=" + HubUnderTest.REPO.resolve("kamelets") + "\n");
        return config;
    }
}
