package io.factoryhub.hub.mirror;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The external cluster's users and ACLs, read from Strimzi {@code KafkaUser} resources
 * ({@code mirror-config/strimzi/kafka-users.yaml}): the one place they are written down, applied as they are by the
 * embedded plant and deployed as they are by the Strimzi operator. Anything this reader does not understand is an
 * error naming the file, never skipped.
 */
public final class KafkaUserAcls {

    /** One KafkaUser: its name and its ACLs (allow rules; Strimzi's simple authorization has no others here). */
    public record UserAcls(String user, List<AclBinding> acls) {
    }

    private KafkaUserAcls() {
    }

    /**
     * @param sourceAlias the site alias the file is written for (mm2.properties' first cluster)
     * @param site        the alias in use: resource names {@code <sourceAlias>...} become {@code <site>...}
     */
    public static List<UserAcls> load(Path file, String sourceAlias, String site) {
        List<UserAcls> users = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = new YAMLMapper().readerFor(JsonNode.class).readValues(file.toFile())) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document == null || document.isEmpty()) {
                    continue;
                }
                require(file, "KafkaUser".equals(document.path("kind").asText()), "kind must be KafkaUser");
                String user = document.path("metadata").path("name").asText();
                require(file, !user.isBlank(), "metadata.name is missing");
                require(file, "scram-sha-512".equals(document.path("spec").path("authentication").path("type").asText()),
                        user + ": spec.authentication.type must be scram-sha-512");
                List<AclBinding> acls = new ArrayList<>();
                for (JsonNode acl : document.path("spec").path("authorization").path("acls")) {
                    acls.addAll(bindings(file, user, acl, sourceAlias, site));
                }
                users.add(new UserAcls(user, List.copyOf(acls)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        return List.copyOf(users);
    }

    /**
     * Makes the cluster's ACLs of these users exactly the file's, as a super user: missing ones are created (creating
     * one that exists is a no-op for Kafka), ones the file no longer lists are deleted, so an edit of the file takes
     * effect on the next start.
     */
    public static void apply(Admin admin, List<UserAcls> users) throws Exception {
        Set<AclBinding> wanted = new HashSet<>();
        users.forEach(u -> wanted.addAll(u.acls()));
        admin.createAcls(wanted).all().get(30, TimeUnit.SECONDS);
        List<AclBindingFilter> stale = new ArrayList<>();
        for (UserAcls user : users) {
            AclBindingFilter ofUser = new AclBindingFilter(ResourcePatternFilter.ANY, new AccessControlEntryFilter(
                    "User:" + user.user(), null, AclOperation.ANY, AclPermissionType.ANY));
            admin.describeAcls(ofUser).values().get(30, TimeUnit.SECONDS).stream()
                    .filter(binding -> !wanted.contains(binding)).map(AclBinding::toFilter).forEach(stale::add);
        }
        if (!stale.isEmpty()) {
            admin.deleteAcls(stale).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static List<AclBinding> bindings(Path file, String user, JsonNode acl, String sourceAlias, String site) {
        JsonNode resource = acl.path("resource");
        String name = resource.path("name").asText();
        if (name.equals(sourceAlias) || name.startsWith(sourceAlias + ".") || name.startsWith(sourceAlias + "-")) {
            name = site + name.substring(sourceAlias.length());
        }
        ResourceType type = switch (resource.path("type").asText()) {
            case "topic" -> ResourceType.TOPIC;
            case "group" -> ResourceType.GROUP;
            case "cluster" -> ResourceType.CLUSTER;
            case "transactionalId" -> ResourceType.TRANSACTIONAL_ID;
            default -> throw invalid(file, user + ": unknown resource type '" + resource.path("type").asText() + "'");
        };
        if (type == ResourceType.CLUSTER) {
            name = "kafka-cluster";
        }
        PatternType pattern = switch (resource.path("patternType").asText("literal")) {
            case "literal" -> PatternType.LITERAL;
            case "prefix" -> PatternType.PREFIXED;
            default -> throw invalid(file, user + ": unknown patternType '" + resource.path("patternType").asText() + "'");
        };
        String host = acl.path("host").asText("*");
        require(file, acl.path("type").asText("allow").equals("allow"), user + ": only allow rules are used");
        List<AclBinding> bindings = new ArrayList<>();
        for (JsonNode operation : acl.path("operations")) {
            bindings.add(new AclBinding(new ResourcePattern(type, name, pattern),
                    new AccessControlEntry("User:" + user, host, operation(file, user, operation.asText()), AclPermissionType.ALLOW)));
        }
        require(file, !bindings.isEmpty(), user + ": an ACL without operations");
        return bindings;
    }

    /** Strimzi's {@code DescribeConfigs} is Kafka's {@code DESCRIBE_CONFIGS}. */
    private static AclOperation operation(Path file, String user, String strimzi) {
        String constant = strimzi.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
        try {
            AclOperation operation = AclOperation.valueOf(constant);
            if (operation != AclOperation.ANY && operation != AclOperation.UNKNOWN) {
                return operation;
            }
        } catch (IllegalArgumentException e) {
            // reported below with the file's name
        }
        throw invalid(file, user + ": unknown operation '" + strimzi + "'");
    }

    private static void require(Path file, boolean condition, String message) {
        if (!condition) {
            throw invalid(file, message);
        }
    }

    private static IllegalArgumentException invalid(Path file, String message) {
        return new IllegalArgumentException(file + ": " + message);
    }
}
