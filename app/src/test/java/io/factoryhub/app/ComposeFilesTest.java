package io.factoryhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.factoryhub.app.support.HubUnderTest;
import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.hub.config.PropertiesFile;
import io.factoryhub.hub.mirror.KafkaUserAcls;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.authorizer.StandardAuthorizer;
import org.junit.jupiter.api.Test;

/**
 * compose/ cannot be run here (no Docker engine on the build machine), so every file of it is parsed and held to
 * the rules a run would otherwise prove: healthchecks and start order, pinned versions, the hub's configuration in
 * keys the hub knows, no secret in a file, mounts that exist, broker settings Kafka knows, ACLs equal to
 * mirror-config's.
 */
class ComposeFilesTest {

    private static final Path REPO = HubUnderTest.REPO;
    private static final Path DIR = REPO.resolve("compose");
    private static final JsonNode COMPOSE = readYaml(DIR.resolve("docker-compose.yaml"));
    private static final Map<String, String> ENV_FILE = readEnvFile(DIR.resolve(".env"));
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)(:?[?-][^}]*)?}");
    /** Names of environment variables that hold a secret. */
    private static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|SECRET|ACCESS_KEY).*");
    private static final Pattern HUB_KEY_PREFIX = Pattern.compile("(FACTORY|PLANT|MES|S3|EXTERNAL)_.*");
    /** The launcher's JVM options (README, Configuration): an environment variable of ./factory-hub, not a key. */
    private static final String LAUNCHER_JAVA_OPTS = "FACTORY_HUB_JAVA_OPTS";
    /** Embedded parts that have no container of their own and so stay in the hub. */
    private static final Set<String> PARTS_WITHOUT_CONTAINER = Set.of("plant.opcua.enabled", "plant.simulator.enabled",
            "plant.mes-simulator.enabled");

    @Test
    void should_ship_only_files_a_test_parses() throws IOException {
        try (Stream<Path> files = Files.walk(DIR)) {
            Set<String> shipped = files.filter(Files::isRegularFile).map(f -> DIR.relativize(f).toString())
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(new TreeSet<>(Set.of(".env", "docker-compose.yaml", "Dockerfile", "Dockerfile.dockerignore",
                    "mosquitto/mosquitto.conf", "kafka-external/start.sh", "kafka-external/acls.sh")), shipped);
        }
    }

    @Test
    void should_give_every_long_running_service_a_healthcheck() {
        services().forEach((name, service) -> {
            if (isOneShot(service)) {
                assertTrue(service.has("entrypoint") || service.has("command"), name + ": a one-shot says what it does");
            } else {
                JsonNode test = service.path("healthcheck").path("test");
                assertTrue(test.isArray() && test.size() > 1 && test.get(0).asText().equals("CMD"),
                        name + ": needs a healthcheck [\"CMD\", ...]");
            }
        });
    }

    @Test
    void should_depend_only_on_services_that_exist() {
        services().forEach((name, service) -> service.path("depends_on").fieldNames().forEachRemaining(dependency ->
                assertTrue(services().containsKey(dependency), name + " depends on unknown service " + dependency)));
    }

    /** Healthy for a service that keeps running; finished without error for a one-shot, which is never "healthy". */
    @Test
    void should_wait_until_dependencies_are_healthy_or_one_shots_have_finished() {
        services().forEach((name, service) -> {
            assertTrue(service.path("depends_on").isObject() || service.path("depends_on").isMissingNode(),
                    name + ": depends_on must be a map with conditions");
            service.path("depends_on").fields().forEachRemaining(dependency -> {
                String expected = isOneShot(services().get(dependency.getKey())) ? "service_completed_successfully" : "service_healthy";
                assertEquals(expected, dependency.getValue().path("condition").asText(), name + " -> " + dependency.getKey());
            });
        });
    }

    @Test
    void should_take_every_image_version_from_env_file() {
        services().forEach((name, service) -> {
            if (service.has("image")) {
                Matcher tag = Pattern.compile("[a-z0-9./-]+:\\$\\{([A-Z0-9_]+)}").matcher(service.path("image").asText());
                assertTrue(tag.matches(), name + ": image must be <name>:${VERSION_VARIABLE}, was " + service.path("image").asText());
                assertDefinedInEnvFile(name, tag.group(1));
            } else {
                assertTrue(service.has("build"), name + ": neither image nor build");
            }
        });
        // the hub's base images: every FROM of the Dockerfile is an ARG that compose passes from .env
        JsonNode args = services().get("hub").path("build").path("args");
        List<String> froms = lines(DIR.resolve("Dockerfile")).stream().filter(l -> l.startsWith("FROM ")).toList();
        assertFalse(froms.isEmpty());
        for (String from : froms) {
            Matcher image = Pattern.compile("FROM [a-z0-9./-]+:\\$\\{([A-Z0-9_]+)}( AS \\w+)?").matcher(from);
            assertTrue(image.matches(), "Dockerfile: " + from);
            String arg = image.group(1);
            assertEquals("${" + arg + "}", args.path(arg).asText(), "hub build arg " + arg + " must come from .env");
            assertDefinedInEnvFile("hub", arg);
        }
    }

    @Test
    void should_configure_the_hub_only_with_keys_the_defaults_know() {
        Set<String> known = defaultKeys().stream().map(HubConfig::envName).collect(Collectors.toSet());
        Map<String, String> env = environment(services().get("hub"));
        env.keySet().stream().filter(v -> HUB_KEY_PREFIX.matcher(v).matches())
                .forEach(v -> assertTrue(known.contains(v), "hub: " + v + " is no key of factory-hub-defaults.properties"));
        // and the Dockerfile's ENV, which the hub reads the same way
        lines(DIR.resolve("Dockerfile")).stream().filter(l -> l.matches("\\s*(ENV )?(FACTORY|PLANT)_[A-Z_]+=.*"))
                .map(l -> l.replaceFirst("^\\s*(ENV )?", "").split("=")[0]).filter(v -> !v.equals(LAUNCHER_JAVA_OPTS))
                .forEach(v -> assertTrue(known.contains(v), "Dockerfile: " + v + " is no key of factory-hub-defaults.properties"));
    }

    @Test
    void should_run_in_the_hub_only_the_embedded_parts_that_have_no_container() {
        Map<String, String> env = environment(services().get("hub"));
        for (String key : defaultKeys()) {
            if (key.matches("plant\\.[a-z-]+\\.enabled")) {
                String expected = Boolean.toString(PARTS_WITHOUT_CONTAINER.contains(key));
                assertEquals(expected, env.get(HubConfig.envName(key)), "hub: " + HubConfig.envName(key));
            }
        }
    }

    @Test
    void should_take_every_secret_from_the_shell_without_a_default() {
        services().forEach((name, service) -> environment(service).forEach((variable, value) -> {
            if (SECRET_NAME.matcher(variable).matches()) {
                Matcher reference = VARIABLE.matcher(value);
                assertTrue(reference.matches() && reference.group(2) != null && reference.group(2).startsWith(":?"),
                        name + ": " + variable + " must be ${VARIABLE:?message} (required, no default), was a literal");
            }
        }));
        ENV_FILE.forEach((variable, value) -> {
            if (SECRET_NAME.matcher(variable).matches()) {
                assertEquals("", value, ".env: " + variable + " must stay empty (set it in the shell)");
            }
        });
        // nowhere else in the YAML a secret written out, e.g. in a command line or a URL
        Pattern literal = Pattern.compile("(?i)(password|secret|access.?key)\\s*[=:]\\s*[^\\s$\"{]");
        lines(DIR.resolve("docker-compose.yaml")).stream().filter(l -> !l.matches("[A-Z0-9_]+: \\$\\{[A-Z0-9_]+:\\?[^}]*}"))
                .forEach(l -> assertFalse(literal.matcher(l).find(), "docker-compose.yaml: a literal secret in '" + l + "'"));
    }

    @Test
    void should_mount_only_files_that_exist_in_the_repository() {
        Set<String> volumes = new HashSet<>();
        COMPOSE.path("volumes").fieldNames().forEachRemaining(volumes::add);
        services().forEach((name, service) -> {
            for (JsonNode mount : service.path("volumes")) {
                String source = mount.asText().split(":")[0];
                if (source.startsWith(".")) {
                    assertTrue(Files.exists(DIR.resolve(source)), name + ": mounts missing " + source);
                } else {
                    assertTrue(volumes.contains(source), name + ": volume " + source + " is not declared");
                }
            }
        });
        JsonNode build = services().get("hub").path("build");
        Path context = DIR.resolve(build.path("context").asText()).normalize();
        assertEquals(REPO, context, "the hub is built from the repository");
        assertTrue(Files.isRegularFile(context.resolve(build.path("dockerfile").asText())));
        // and what the Dockerfile copies from that context
        lines(DIR.resolve("Dockerfile")).stream().filter(l -> l.startsWith("COPY ") && !l.contains("--from="))
                .map(l -> l.split("\\s+")).forEach(copy -> {
                    for (int i = 1; i < copy.length - 1; i++) {
                        assertTrue(Files.exists(REPO.resolve(copy[i])), "Dockerfile copies missing " + copy[i]);
                    }
                });
        assertTrue(lines(DIR.resolve("Dockerfile.dockerignore")).containsAll(List.of("data", "**/target")),
                "the build context leaves out the data dir and build output");
    }

    @Test
    void should_init_the_mes_database_with_the_cdc_scripts_and_logical_wal() {
        JsonNode postgres = services().get("postgres");
        List<String> initScripts = new ArrayList<>();
        for (JsonNode mount : postgres.path("volumes")) {
            String[] parts = mount.asText().split(":");
            if (parts[1].startsWith("/docker-entrypoint-initdb.d/")) {
                initScripts.add(parts[0]);
            }
        }
        // the same scripts, in the same order, as the embedded plant applies
        List<String> embedded = List.of(defaults().getProperty("plant.postgres.init-scripts").split(","));
        assertEquals(embedded.stream().map(s -> "../" + s).toList(), initScripts);
        assertTrue(postgres.path("command").toString().contains("\"wal_level=logical\""), "Debezium needs wal_level=logical");
    }

    @Test
    void should_configure_mosquitto_with_a_listener_and_persistence_on_a_volume() {
        Map<String, String> conf = new LinkedHashMap<>();
        for (String line : lines(DIR.resolve("mosquitto/mosquitto.conf"))) {
            String[] option = line.split("\\s+", 2);
            assertEquals(2, option.length, "mosquitto.conf: '" + line + "' is not '<option> <value>'");
            assertFalse(conf.containsKey(option[0]), "mosquitto.conf: " + option[0] + " twice");
            conf.put(option[0], option[1]);
        }
        assertEquals("1883", conf.get("listener"));
        assertEquals("true", conf.get("persistence"));
        String location = conf.get("persistence_location");
        boolean onVolume = false;
        for (JsonNode mount : services().get("mosquitto").path("volumes")) {
            String[] parts = mount.asText().split(":");
            onVolume |= !parts[0].startsWith(".") && location.startsWith(parts[1]);
        }
        assertTrue(onVolume, "mosquitto persists to " + location + ", which is no volume");
        assertTrue(Long.parseLong(conf.get("max_queued_messages")) >= 100_000, "a down hub must not cost readings");
    }

    @Test
    void should_configure_the_brokers_with_settings_kafka_knows() {
        Set<String> known = new HashSet<>(KafkaConfig.configDef().names());
        // the authorizer's own settings, which it reads from the broker configuration
        known.addAll(Set.of(StandardAuthorizer.SUPER_USERS_CONFIG, StandardAuthorizer.ALLOW_EVERYONE_IF_NO_ACL_IS_FOUND_CONFIG));
        Map<String, String> factory = environment(services().get("kafka"));
        factory.keySet().stream().filter(v -> v.startsWith("KAFKA_")).forEach(v -> {
            String key = v.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
            assertTrue(known.contains(key), "kafka: " + v + " is no broker setting (" + key + ")");
        });
        Properties external = heredoc(DIR.resolve("kafka-external/start.sh"), "cat > \"$CONFIG\" <<PROPS");
        assertFalse(external.isEmpty());
        for (String key : external.stringPropertyNames()) {
            assertTrue(known.contains(key) || key.startsWith("listener.name."), "kafka-external: unknown broker setting " + key);
        }
        assertEquals("org.apache.kafka.metadata.authorizer.StandardAuthorizer", external.getProperty("authorizer.class.name"));
        assertEquals("false", external.getProperty("allow.everyone.if.no.acl.found"));
        assertEquals("SCRAM-SHA-512", external.getProperty("sasl.enabled.mechanisms"));
        // every listener clients reach is SASL_SSL; only the loopback controller listener is not
        for (String entry : external.getProperty("listener.security.protocol.map").split(",")) {
            String[] listener = entry.split(":");
            assertEquals(listener[0].equals("CONTROLLER") ? "PLAINTEXT" : "SASL_SSL", listener[1], entry);
        }
        assertTrue(external.getProperty("listeners").contains("CONTROLLER://127.0.0.1:"), "the controller stays on loopback");
        for (String service : List.of("kafka", "kafka-external")) {
            Uuid.fromString(environment(services().get(service)).get("CLUSTER_ID")); // a Kafka cluster id, or it throws
        }
    }

    @Test
    void should_grant_on_the_external_cluster_exactly_the_acls_of_kafka_users() {
        Set<String> wanted = new TreeSet<>();
        for (KafkaUserAcls.UserAcls user : KafkaUserAcls.load(REPO.resolve("mirror-config/strimzi/kafka-users.yaml"), "plant-a", "plant-a")) {
            user.acls().forEach(acl -> wanted.add(String.join(" ", acl.entry().principal(),
                    acl.pattern().resourceType().name(), acl.pattern().name(), acl.pattern().patternType().name(),
                    acl.entry().operation().name(), acl.entry().host(), acl.entry().permissionType().name())));
        }
        Set<String> granted = new TreeSet<>();
        for (String line : lines(DIR.resolve("kafka-external/acls.sh"))) {
            if (line.startsWith("allow ")) {
                String[] allow = line.split("\\s+");
                for (int i = 5; i < allow.length; i++) {
                    granted.add(String.join(" ", "User:" + allow[1], allow[2].toUpperCase(Locale.ROOT), allow[3],
                            allow[4].toUpperCase(Locale.ROOT), allow[i].replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT), "*", "ALLOW"));
                }
            }
        }
        assertEquals(wanted, granted);
    }

    private static boolean isOneShot(JsonNode service) {
        return "no".equals(service.path("restart").asText());
    }

    private static Map<String, JsonNode> services() {
        Map<String, JsonNode> services = new LinkedHashMap<>();
        COMPOSE.path("services").fields().forEachRemaining(e -> services.put(e.getKey(), e.getValue()));
        return services;
    }

    /** A service's environment, as a map (the map form is the only one used, so values stay unambiguous). */
    private static Map<String, String> environment(JsonNode service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode environment = service.path("environment");
        assertTrue(environment.isObject() || environment.isMissingNode(), "environment must be a map");
        environment.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }

    private static void assertDefinedInEnvFile(String service, String variable) {
        assertFalse(ENV_FILE.getOrDefault(variable, "").isBlank(), service + ": " + variable + " is not set in .env");
    }

    private static Properties defaults() {
        return PropertiesFile.load(REPO.resolve("hub/src/main/resources/factory-hub-defaults.properties"), "defaults");
    }

    private static Set<String> defaultKeys() {
        return defaults().stringPropertyNames();
    }

    /** The properties a script writes with {@code <opening>} ... {@code PROPS}, shell expansions left as they are. */
    private static Properties heredoc(Path script, String opening) {
        List<String> all = allLines(script);
        int start = all.indexOf(opening);
        assertTrue(start >= 0, script + ": no " + opening);
        int end = all.subList(start, all.size()).indexOf("PROPS") + start;
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(String.join("\n", all.subList(start + 1, end))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /** .env as docker compose reads it: KEY=VALUE lines, # comments. */
    private static Map<String, String> readEnvFile(Path file) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : lines(file)) {
            int eq = line.indexOf('=');
            assertTrue(eq > 0 && line.substring(0, eq).matches("[A-Z][A-Z0-9_]*"), file + ": '" + line + "' is not KEY=VALUE");
            assertFalse(env.containsKey(line.substring(0, eq)), file + ": " + line.substring(0, eq) + " twice");
            env.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return env;
    }

    /** Lines without blanks and # comments. */
    private static List<String> lines(Path file) {
        return allLines(file).stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private static List<String> allLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    private static JsonNode readYaml(Path file) {
        try {
            return new YAMLMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
