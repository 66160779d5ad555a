package io.factoryhub.hub.health;

import io.factoryhub.hub.config.HubConfig;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.health.HealthCheckResultStrategy;

/**
 * What {@code /health} tells whoever reaches it: states, counters and what to change (configuration keys), never
 * where the plant's services are or who logs in to them; the hub's log keeps the whole story.
 *
 * <p>Camel applies this strategy to the result of every check, its own (routes, consumers) included. It drops the
 * exception (Camel renders its message chain with {@code exposureLevel=full} and its stack trace with
 * {@code stackTrace=true}) and rewrites messages and detail values: URLs, IP addresses, {@code host:port}, port
 * numbers, quoted user and role names, and every host, port and user name of the configuration become
 * {@value #REDACTED}. A CDC failure then still says "check mes.user / mes.password", without the user's name.
 */
public final class HealthRedaction implements HealthCheckResultStrategy {

    static final String REDACTED = "<redacted>";

    /** A shape of text that names a place or a person, and what is left of it. */
    private record Shape(Pattern pattern, String replacement) {
        String apply(String text) {
            return pattern.matcher(text).replaceAll(replacement);
        }
    }

    private static final List<Shape> SHAPES = List.of(
            // scheme://anything: endpoint URIs name hosts, ports, users and topics; the scheme stays
            new Shape(Pattern.compile("\\b([A-Za-z][A-Za-z0-9+.-]*://)[^\\s\"'<>()\\[\\],;]*"), "$1" + REDACTED),
            new Shape(Pattern.compile("\\[[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*](?::\\d{1,5})?"), REDACTED),
            new Shape(Pattern.compile("\\b\\d{1,3}(?:\\.\\d{1,3}){3}(?::\\d{1,5})?\\b"), REDACTED),
            new Shape(Pattern.compile("\\b[A-Za-z][A-Za-z0-9.-]*:\\d{1,5}\\b"), REDACTED),
            new Shape(Pattern.compile("(?i)\\b(port\\s*[=:]?\\s*)\\d{1,5}\\b"), "$1" + REDACTED),
            new Shape(Pattern.compile("(?i)\\b((?:user|role|username)\\s*[=:]?\\s*)([\"'])[^\"']*\\2"), "$1$2" + REDACTED + "$2"));

    private final Pattern known;

    /** @param names hosts, ports and user names to hide wherever they stand alone */
    HealthRedaction(Collection<String> names) {
        List<String> alternatives = names.stream().filter(name -> name != null && !name.isBlank()).map(String::trim)
                .distinct().sorted(Comparator.comparingInt(String::length).reversed()).map(Pattern::quote).toList();
        // a name alone, not part of a longer word or of a dotted name such as the key mes.user or the topic mes.public.x
        this.known = alternatives.isEmpty() ? null
                : Pattern.compile("(?<![\\w-])(?:" + String.join("|", alternatives) + ")(?![\\w-]|\\.\\w)");
    }

    /** The hosts, ports and users the hub's configuration names, this machine's name and the account it runs as. */
    public static HealthRedaction from(HubConfig config) {
        Set<String> names = new LinkedHashSet<>(List.of("localhost", System.getProperty("user.name", "")));
        try {
            names.add(InetAddress.getLocalHost().getHostName());
        } catch (UnknownHostException e) {
            // no name to hide
        }
        for (String key : List.of("factory.kafka.bootstrap-servers", "external.bootstrap-servers")) {
            for (String server : config.get(key).split(",")) {
                addHostAndPort(names, "kafka://" + server.trim());
            }
        }
        for (String key : List.of("factory.mqtt.broker-url", "factory.opcua.endpoint", "s3.endpoint")) {
            addHostAndPort(names, config.get(key));
        }
        for (String key : List.of("mes.host", "mes.port", "mes.user", "external.admin.user", "external.mm2.user",
                "external.bi.user", "s3.access-key")) {
            names.add(config.get(key));
        }
        return new HealthRedaction(names);
    }

    @Override
    public void processResult(HealthCheck check, Map<String, Object> options, HealthCheckResultBuilder builder) {
        if (builder.error() != null) {
            builder.error(null);
            if (builder.message() == null) {
                builder.message("failed (the hub's log says why)");
            }
        }
        if (builder.message() != null) {
            builder.message(redact(builder.message()));
        }
        if (builder.state() != null) {
            for (Map.Entry<String, Object> detail : builder.build().getDetails().entrySet()) {
                if (detail.getValue() instanceof CharSequence || detail.getValue() instanceof URI) {
                    builder.detail(detail.getKey(), redact(detail.getValue().toString()));
                }
            }
        }
    }

    String redact(String text) {
        String redacted = text;
        for (Shape shape : SHAPES) {
            redacted = shape.apply(redacted);
        }
        return known == null ? redacted : known.matcher(redacted).replaceAll(REDACTED);
    }

    private static void addHostAndPort(Collection<String> names, String url) {
        try {
            URI uri = URI.create(url);
            names.add(uri.getHost());
            if (uri.getPort() > 0) {
                names.add(Integer.toString(uri.getPort()));
            }
        } catch (IllegalArgumentException e) {
            // not a URL: the shapes above still catch host:port in it
        }
    }
}
