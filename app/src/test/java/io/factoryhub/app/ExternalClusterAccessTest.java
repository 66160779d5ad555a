package io.factoryhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.factoryhub.app.support.HubUnderTest;
import io.factoryhub.app.support.KafkaRecords;
import io.factoryhub.app.support.TestPlant;
import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.hub.mirror.ExternalCluster;
import io.factoryhub.hub.mirror.KafkaUserAcls;
import io.factoryhub.hub.FactoryTopics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.tools.consumer.ConsoleConsumer;
import org.apache.kafka.tools.consumer.ConsoleConsumerOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may do what on the external (BI) cluster the embedded plant starts: bi reads mirrored topics and its own
 * groups and nothing else; only SASL_SSL with a valid SCRAM-SHA-512 login gets in.
 */
class ExternalClusterAccessTest {

    private static final String MIRRORED = "plant-a.factory.test.access";
    private static final String INTRUDER = "intruder";
    private static final String INTRUDER_TOPIC = "controller.intruder";

    private static HubConfig config;

    @BeforeAll
    static void mirroredTopicWithRecords() throws Exception {
        config = TestPlant.shared().external();
        Map<String, Object> admin = new HashMap<>(ExternalCluster.as(config, "admin").clientProperties());
        try (Admin client = Admin.create(admin)) {
            client.createTopics(List.of(new NewTopic(MIRRORED, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
            FactoryTopics.awaitLeaders(client, List.of(MIRRORED));
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(admin, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(MIRRORED, "press-" + i, "reading-" + i)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void should_let_bi_read_mirrored_topics_and_commit_its_own_group() {
        try (KafkaRecords bi = new KafkaRecords(as("bi"), "bi-dashboard", MIRRORED)) {
            assertEquals(10, bi.await(r -> r.value().startsWith("reading-"), 10, Duration.ofSeconds(30)).size());
            bi.commit();
        }
    }

    @Test
    void should_deny_bi_writing_creating_deleting_or_altering_topics() {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(new HashMap<>(as("bi")), new StringSerializer(),
                new StringSerializer())) {
            assertDenied(() -> producer.send(new ProducerRecord<>(MIRRORED, "k", "forged")).get(30, TimeUnit.SECONDS));
        }
        try (Admin bi = Admin.create(new HashMap<>(as("bi")))) {
            assertDenied(() -> bi.createTopics(List.of(new NewTopic("plant-a.factory.forged", 1, (short) 1))).all().get(30, TimeUnit.SECONDS));
            assertDenied(() -> bi.deleteTopics(List.of(MIRRORED)).all().get(30, TimeUnit.SECONDS));
            assertDenied(() -> bi.createPartitions(Map.of(MIRRORED, NewPartitions.increaseTo(4))).all().get(30, TimeUnit.SECONDS));
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, MIRRORED);
            assertDenied(() -> bi.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(
                    new ConfigEntry("retention.ms", "1000"), AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void should_take_back_an_acl_the_users_file_does_not_list_when_it_is_applied() throws Exception {
        AclBinding stray = new AclBinding(new ResourcePattern(ResourceType.TOPIC, MIRRORED, PatternType.LITERAL),
                new AccessControlEntry("User:bi", "*", AclOperation.WRITE, AclPermissionType.ALLOW));
        try (Admin admin = Admin.create(new HashMap<>(as("admin")))) {
            admin.createAcls(List.of(stray)).all().get(30, TimeUnit.SECONDS);
            KafkaUserAcls.apply(admin, KafkaUserAcls.load(config.getPath("factory.mirror.users"), "plant-a", "plant-a"));
            AclBindingFilter ofBi = new AclBindingFilter(ResourcePatternFilter.ANY,
                    new AccessControlEntryFilter("User:bi", null, AclOperation.ANY, AclPermissionType.ANY));
            Collection<AclBinding> granted = admin.describeAcls(ofBi).values().get(30, TimeUnit.SECONDS);
            assertFalse(granted.contains(stray), "stray ACL still granted: " + granted);
            assertEquals(4, granted.size(), "bi's ACLs: " + granted); // read + describe on topics and on groups
        }
    }

    @Test
    void should_deny_bi_committing_to_another_principals_group_or_reading_mirror_maker_topics() {
        for (String group : List.of("plant-a-mm2", "factory-hub-lake")) {
            Map<String, Object> props = new HashMap<>(as("bi"));
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
                TopicPartition partition = new TopicPartition(MIRRORED, 0);
                consumer.assign(List.of(partition));
                assertDenied(() -> {
                    consumer.commitSync(Map.of(partition, new OffsetAndMetadata(1)));
                    return null;
                });
            }
        }
        // MirrorMaker's connector configurations live there, credentials included
        try (KafkaRecords bi = new KafkaRecords(as("bi"), "bi-snoop", "mm2-configs.plant-a.internal")) {
            assertThrows(AuthorizationException.class, () -> bi.await(r -> true, 1, Duration.ofSeconds(10)));
        }
    }

    @Test
    void should_refuse_plaintext_anonymous_and_wrong_password_connections() {
        String bootstrap = config.get("external.bootstrap-servers");
        Map<String, Object> plaintext = quick(Map.of("bootstrap.servers", bootstrap, "security.protocol", "PLAINTEXT"));
        Map<String, Object> anonymousTls = new HashMap<>(as("bi"));
        anonymousTls.keySet().removeIf(key -> key.startsWith("sasl."));
        anonymousTls.put("security.protocol", "SSL");
        Map<String, Object> wrongPassword = new HashMap<>(new ExternalCluster(bootstrap, ExternalCluster.caFile(config), "bi",
                "not-the-password").clientProperties());
        for (Map<String, Object> props : List.of(plaintext, quick(anonymousTls))) {
            try (Admin client = Admin.create(props)) {
                assertThrows(Exception.class, () -> client.describeCluster().clusterId().get(10, TimeUnit.SECONDS));
            }
        }
        try (Admin client = Admin.create(quick(wrongPassword))) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> client.describeCluster().clusterId().get(10, TimeUnit.SECONDS));
            assertInstanceOf(SaslAuthenticationException.class, e.getCause());
        }
    }

    /**
     * The controller listener: a local client with PLAINTEXT (it would be User:ANONYMOUS) or with TLS but without the
     * broker's certificate gets no answer, so it creates no topic, ACL or user and reads nothing.
     */
    @Test
    void should_give_nothing_to_local_clients_of_the_controller_listener() throws Exception {
        String controller = "127.0.0.1:" + config.get("plant.external-kafka.controller-port");
        Map<String, Object> tlsWithoutCertificate = new HashMap<>(as("bi"));
        tlsWithoutCertificate.keySet().removeIf(key -> key.startsWith("sasl.") || key.equals("bootstrap.servers"));
        tlsWithoutCertificate.put("security.protocol", "SSL");
        for (Map<String, Object> props : List.of(Map.<String, Object>of("security.protocol", "PLAINTEXT"), tlsWithoutCertificate)) {
            for (String bootstrap : List.of("bootstrap.controllers", "bootstrap.servers")) {
                Map<String, Object> client = new HashMap<>(props);
                client.put(bootstrap, controller);
                try (Admin intruder = Admin.create(quick(client))) {
                    List<KafkaFuture<?>> attempts = List.of(
                            intruder.createTopics(List.of(new NewTopic(INTRUDER_TOPIC, 1, (short) 1))).all(),
                            intruder.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, "*", PatternType.LITERAL),
                                    new AccessControlEntry("User:" + INTRUDER, "*", AclOperation.ALL, AclPermissionType.ALLOW)))).all(),
                            intruder.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(INTRUDER,
                                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), "intruder-password"))).all(),
                            intruder.describeAcls(AclBindingFilter.ANY).values(),
                            intruder.describeCluster().nodes(),
                            intruder.listTopics().names());
                    for (KafkaFuture<?> attempt : attempts) {
                        assertThrows(ExecutionException.class, () -> attempt.get(10, TimeUnit.SECONDS), props + " " + bootstrap);
                    }
                }
            }
        }
        try (Admin admin = Admin.create(new HashMap<String, Object>(ExternalCluster.as(config, "admin").clientProperties()))) {
            assertFalse(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(INTRUDER_TOPIC));
            assertTrue(admin.describeAcls(new AclBindingFilter(ResourcePatternFilter.ANY, new AccessControlEntryFilter("User:" + INTRUDER,
                    null, AclOperation.ANY, AclPermissionType.ANY))).values().get(30, TimeUnit.SECONDS).isEmpty());
            assertFalse(admin.describeUserScramCredentials().all().get(30, TimeUnit.SECONDS).containsKey(INTRUDER));
        }
    }

    @Test
    void should_let_the_readme_console_consumer_read_as_bi_with_the_shipped_client_properties() throws Exception {
        // the shipped file, its two ./data paths pointed at this test's data dir
        Path dataDir = config.getPath("factory.data-dir");
        String shipped = Files.readString(HubUnderTest.REPO.resolve("mirror-config/bi-client.properties"));
        Path clientProperties = Files.createTempFile("bi-client", ".properties");
        Files.writeString(clientProperties, shipped.replace("data/", dataDir + "/"));

        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            ConsoleConsumer.run(new ConsoleConsumerOptions(new String[] {
                "--bootstrap-server", config.get("external.bootstrap-servers"), "--consumer.config", clientProperties.toString(),
                "--topic", MIRRORED, "--group", "bi-console", "--from-beginning", "--max-messages", "10", "--timeout-ms", "30000"}));
        } finally {
            System.setOut(stdout);
        }
        Set<String> lines = Set.of(captured.toString(StandardCharsets.UTF_8).strip().split("\n"));
        assertEquals(10, lines.size(), "console consumer printed: " + lines);
        assertTrue(lines.contains("reading-0") && lines.contains("reading-9"), "console consumer printed: " + lines);
    }

    private static Map<String, String> as(String role) {
        Map<String, String> props = new HashMap<>(ExternalCluster.as(config, role).clientProperties());
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        return props;
    }

    /** Fails fast instead of retrying for the default minute. */
    private static Map<String, Object> quick(Map<String, ?> props) {
        Map<String, Object> quick = new HashMap<>(props);
        quick.put("request.timeout.ms", 3000);
        quick.put("default.api.timeout.ms", 5000);
        quick.put("reconnect.backoff.max.ms", 500);
        return quick;
    }

    private static void assertDenied(java.util.concurrent.Callable<?> action) {
        Exception e = assertThrows(Exception.class, action::call);
        // an idempotent producer denied its producer id reports later sends as "in an error state", caused by the denial
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof AuthorizationException) {
                return;
            }
        }
        throw new AssertionError("expected a denial, got " + e, e);
    }
}
