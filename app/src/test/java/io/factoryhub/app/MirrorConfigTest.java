package io.factoryhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.factoryhub.app.support.HubUnderTest;
import io.factoryhub.hub.config.PropertiesFile;
import io.factoryhub.hub.mirror.KafkaUserAcls;
import io.factoryhub.hub.mirror.MirrorSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.connect.mirror.MirrorCheckpointConfig;
import org.apache.kafka.connect.mirror.MirrorCheckpointConnector;
import org.apache.kafka.connect.mirror.MirrorHeartbeatConfig;
import org.apache.kafka.connect.mirror.MirrorHeartbeatConnector;
import org.apache.kafka.connect.mirror.MirrorMakerConfig;
import org.apache.kafka.connect.mirror.MirrorSourceConfig;
import org.apache.kafka.connect.mirror.MirrorSourceConnector;
import org.apache.kafka.connect.mirror.SourceAndTarget;
import org.apache.kafka.connect.runtime.distributed.DistributedConfig;
import org.junit.jupiter.api.Test;

/**
 * Every file of mirror-config/ parsed with the parser that will read it (Kafka's for the properties, Strimzi's
 * schema rules for the resources), unknown settings refused, and the in-process mirror compared with the Strimzi
 * deployment of it: the two must describe the same mirror.
 */
class MirrorConfigTest {

    private static final Path DIR = HubUnderTest.REPO.resolve("mirror-config");
    private static final MirrorSettings SETTINGS = MirrorSettings.load(DIR.resolve("mm2.properties"), "plant-a");
    private static final SourceAndTarget FLOW = new SourceAndTarget("plant-a", "external");
    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void should_ship_only_files_a_test_parses() throws Exception {
        try (Stream<Path> files = Files.walk(DIR)) {
            Set<String> shipped = new HashSet<>(files.filter(Files::isRegularFile).map(f -> DIR.relativize(f).toString()).toList());
            assertEquals(Set.of("mm2.properties", "bi-client.properties", "strimzi/kafka-mirror-maker-2.yaml",
                    "strimzi/kafka-users.yaml"), shipped);
        }
    }

    @Test
    void should_define_one_flow_from_the_site_to_the_external_cluster_with_settings_kafka_knows() {
        MirrorMakerConfig config = new MirrorMakerConfig(SETTINGS.withConnections("factory:9092",
                new io.factoryhub.hub.mirror.ExternalCluster("external:9094", Path.of("ca.crt"), "mm2", "secret")));
        assertEquals(List.of(FLOW), config.clusterPairs());
        Set<String> connectorKeys = new HashSet<>();
        connectorKeys.addAll(new MirrorSourceConfig(config.connectorBaseConfig(FLOW, MirrorSourceConnector.class)).values().keySet());
        connectorKeys.addAll(new MirrorCheckpointConfig(config.connectorBaseConfig(FLOW, MirrorCheckpointConnector.class)).values().keySet());
        connectorKeys.addAll(new MirrorHeartbeatConfig(config.connectorBaseConfig(FLOW, MirrorHeartbeatConnector.class)).values().keySet());
        Set<String> workerKeys = new DistributedConfig(config.workerConfig(FLOW)).values().keySet();
        for (String key : SETTINGS.properties().keySet()) {
            String name = key.replaceFirst("^plant-a->external\\.|^external->plant-a\\.", "");
            boolean known = key.equals("clusters") || name.equals("enabled")
                    || connectorKeys.contains(name) || workerKeys.contains(name)
                    || clientKey(key, "plant-a.") || clientKey(key, "external.");
            assertTrue(known, "mm2.properties: unknown setting " + key);
        }
        assertEquals("factory\\..*, mes\\..*", SETTINGS.flowSetting("topics"));
        assertEquals("target", SETTINGS.flowSetting("offset-syncs.topic.location"));
    }

    @Test
    void should_rename_the_source_alias_to_the_configured_site() {
        MirrorSettings site = MirrorSettings.load(DIR.resolve("mm2.properties"), "plant-b");
        assertEquals("plant-b, external", site.properties().get("clusters"));
        assertEquals("true", site.properties().get("plant-b->external.enabled"));
        assertEquals("5000", site.properties().get("plant-b.consumer.max.poll.records"));
        assertFalse(site.properties().keySet().stream().anyMatch(k -> k.contains("plant-a")));
    }

    @Test
    void should_describe_the_same_mirror_in_mm2_properties_and_the_strimzi_resource() throws Exception {
        JsonNode resource = YAML.readTree(DIR.resolve("strimzi/kafka-mirror-maker-2.yaml").toFile());
        assertEquals("KafkaMirrorMaker2", resource.path("kind").asText());
        JsonNode spec = resource.path("spec");
        assertEquals(List.of("plant-a", "external"), spec.path("clusters").findValuesAsText("alias"));
        assertEquals("external", spec.path("connectCluster").asText());
        assertEquals(1, spec.path("mirrors").size());
        JsonNode mirror = spec.path("mirrors").get(0);
        assertEquals("plant-a", mirror.path("sourceCluster").asText());
        assertEquals("external", mirror.path("targetCluster").asText());

        Map<String, String> fromFile = canonical(SETTINGS.properties());
        Map<String, String> fromResource = canonical(spec, mirror);
        // the embedded cluster has one broker, a deployment three: the only intended difference
        Map<String, String> fileFactors = replicationFactors(fromFile);
        Map<String, String> resourceFactors = replicationFactors(fromResource);
        assertEquals(fileFactors.keySet(), resourceFactors.keySet());
        assertTrue(fileFactors.values().stream().allMatch("1"::equals), "mm2.properties: " + fileFactors);
        assertTrue(resourceFactors.values().stream().allMatch("3"::equals), "Strimzi: " + resourceFactors);
        assertEquals(fromFile, fromResource);

        // Connect's group and internal topics: dedicated mode's names, which the KafkaUser ACLs grant
        JsonNode target = spec.path("clusters").get(1).path("config");
        assertEquals("plant-a-mm2", target.path("group.id").asText());
        for (String store : List.of("config", "offset", "status")) {
            assertEquals("mm2-" + (store.equals("config") ? "configs" : store.equals("offset") ? "offsets" : "status")
                    + ".plant-a.internal", target.path(store + ".storage.topic").asText());
        }
    }

    @Test
    void should_grant_mm2_its_names_and_bi_only_reading() {
        List<KafkaUserAcls.UserAcls> users = KafkaUserAcls.load(DIR.resolve("strimzi/kafka-users.yaml"), "plant-a", "plant-a");
        assertEquals(List.of("mm2", "bi"), users.stream().map(KafkaUserAcls.UserAcls::user).toList());
        List<AclBinding> mm2 = users.get(0).acls();
        String groupsPrefix = SETTINGS.flowSetting("groups").replace(".*", "");
        assertTrue(grants(mm2, ResourceType.TOPIC, "plant-a.", PatternType.PREFIXED, AclOperation.WRITE));
        assertTrue(grants(mm2, ResourceType.TOPIC, "mm2-", PatternType.PREFIXED, AclOperation.WRITE));
        assertTrue(grants(mm2, ResourceType.GROUP, "plant-a-mm2", PatternType.LITERAL, AclOperation.READ));
        assertTrue(grants(mm2, ResourceType.GROUP, groupsPrefix, PatternType.PREFIXED, AclOperation.READ));
        assertTrue(mm2.stream().noneMatch(b -> b.entry().operation() == AclOperation.DELETE || b.entry().operation() == AclOperation.ALL
                || b.pattern().resourceType() == ResourceType.CLUSTER));
        Set<AclOperation> reading = Set.of(AclOperation.READ, AclOperation.DESCRIBE);
        assertTrue(users.get(1).acls().stream().allMatch(b -> reading.contains(b.entry().operation())));
        assertTrue(grants(users.get(1).acls(), ResourceType.TOPIC, "plant-a.", PatternType.PREFIXED, AclOperation.READ));
        assertTrue(grants(users.get(1).acls(), ResourceType.GROUP, "bi-", PatternType.PREFIXED, AclOperation.READ));
    }

    @Test
    void should_ship_bi_client_properties_with_consumer_settings_and_no_secret() {
        Map<String, String> client = PropertiesFile.toMap(PropertiesFile.load(DIR.resolve("bi-client.properties"), "client settings"));
        for (String key : client.keySet()) {
            assertTrue(ConsumerConfig.configNames().contains(key) || key.startsWith("config.providers"), "unknown setting " + key);
        }
        assertTrue(client.get("sasl.jaas.config").contains("password=\"${file:data/credentials.properties:external.bi.password}\""));
        assertEquals("data/tls/ca.crt", client.get("ssl.truststore.location"));
    }

    /** Removes the replication factors from {@code settings} and returns them. */
    private static Map<String, String> replicationFactors(Map<String, String> settings) {
        Map<String, String> factors = new TreeMap<>();
        settings.forEach((key, value) -> {
            if (key.endsWith("replication.factor")) {
                factors.put(key, value);
            }
        });
        settings.keySet().removeAll(factors.keySet());
        return factors;
    }

    private static boolean clientKey(String key, String alias) {
        if (!key.startsWith(alias)) {
            return false;
        }
        String name = key.substring(alias.length());
        return name.startsWith("producer.") ? ProducerConfig.configNames().contains(name.substring("producer.".length()))
                : name.startsWith("consumer.") ? ConsumerConfig.configNames().contains(name.substring("consumer.".length()))
                : ConsumerConfig.configNames().contains(name);
    }

    private static boolean grants(List<AclBinding> acls, ResourceType type, String name, PatternType pattern, AclOperation operation) {
        return acls.stream().anyMatch(b -> b.pattern().resourceType() == type && b.pattern().name().equals(name)
                && b.pattern().patternType() == pattern && b.entry().operation() == operation);
    }

    /** mm2.properties as a flat map: connector.*, worker.*, producer.* (to the external cluster). */
    private static Map<String, String> canonical(Map<String, String> properties) {
        Map<String, String> canonical = new TreeMap<>();
        properties.forEach((key, value) -> {
            if (key.equals("clusters") || key.endsWith(".enabled") && key.split("\\.").length == 2) {
                return; // the flow itself, compared above
            }
            if (key.startsWith("plant-a->external.")) {
                canonical.put("connector." + key.substring("plant-a->external.".length()), value);
            } else if (key.startsWith("plant-a.consumer.")) {
                canonical.put("connector." + key.substring("plant-a.".length()), value);
            } else if (key.startsWith("external.producer.")) {
                canonical.put(key.substring("external.".length()), value);
            } else if (key.endsWith(".storage.replication.factor") || key.equals("offset.flush.interval.ms")) {
                canonical.put("worker." + key, value);
            } else {
                canonical.put("connector." + key, value);
            }
        });
        return canonical;
    }

    /** The Strimzi resource in the same flat form. */
    private static Map<String, String> canonical(JsonNode spec, JsonNode mirror) {
        Map<String, String> canonical = new TreeMap<>();
        canonical.put("connector.topics", mirror.path("topicsPattern").asText());
        canonical.put("connector.topics.exclude", mirror.path("topicsExcludePattern").asText());
        canonical.put("connector.groups", mirror.path("groupsPattern").asText());
        for (String connector : List.of("sourceConnector", "checkpointConnector")) {
            JsonNode node = mirror.path(connector);
            putOnce(canonical, "connector.tasks.max", node.path("tasksMax").asText());
            node.path("config").fields().forEachRemaining(e -> putOnce(canonical, "connector." + e.getKey(), e.getValue().asText()));
        }
        // no heartbeat connector in the resource = heartbeats off
        canonical.put("connector.emit.heartbeats.enabled", Boolean.toString(mirror.has("heartbeatConnector")));
        spec.path("clusters").get(1).path("config").fields().forEachRemaining(e -> {
            String key = e.getKey();
            if (key.startsWith("producer.override.")) {
                canonical.put("producer." + key.substring("producer.override.".length()), e.getValue().asText());
            } else if (!key.equals("group.id") && !key.endsWith(".storage.topic")) {
                canonical.put("worker." + key, e.getValue().asText());
            }
        });
        return canonical;
    }

    /** A setting both connectors carry must agree: mm2.properties has one value for the flow. */
    private static void putOnce(Map<String, String> map, String key, String value) {
        String previous = map.putIfAbsent(key, value);
        assertTrue(previous == null || previous.equals(value), key + " differs between the connectors: " + previous + " / " + value);
    }
}
