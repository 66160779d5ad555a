package io.factoryhub.hub.opcua;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code opcua-subscription:opc.tcp://host:port?nodeIds=ns=2;s=a/b,nsu=urn:x;s=c&samplingInterval=1000}.
 *
 * <p>Exists because camel-milo 4.17 ignores sampling/publishing interval and deadband and needs one
 * endpoint per node; this component puts N monitored items into one subscription of one client.
 * Options: {@code nodeIds} (comma separated, or {@code #bean} with a collection; required), {@code samplingInterval} (ms, 1000),
 * {@code publishingInterval} (ms, 1000), {@code queueSize} (10), {@code deadband} (absolute, 0 = off),
 * {@code username}, {@code password},
 * {@code securityPolicy} (None), {@code workers} (2), {@code laneCapacity} (50000),
 * {@code reconnectMin}/{@code reconnectMax} (ms, 1000/30000), {@code connector} (the route id without {@code -source},
 * which is the Pipe's name; names the connector in connection events and metrics).
 */
public class OpcUaSubscriptionComponent extends DefaultComponent {

    /** The component's name, from META-INF/services/org/apache/camel/component. */
    public static final String SCHEME = "opcua-subscription";

    /** This context's consumers' connection state: per component, so per CamelContext. */
    private final OpcUaConnections connections = new OpcUaConnections();

    OpcUaConnections connections() {
        return connections;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String nodeIds = getAndRemoveParameter(parameters, "nodeIds", String.class);
        if (nodeIds == null || nodeIds.isBlank()) {
            throw new IllegalArgumentException(SCHEME + ": nodeIds is required in " + uri);
        }
        OpcUaSubscriptionConfig config = new OpcUaSubscriptionConfig(
                endpointUrl(remaining),
                nodeIds.startsWith("#") ? lookupNodeIds(nodeIds.substring(1)) : splitNodeIds(nodeIds),
                getAndRemoveParameter(parameters, "samplingInterval", Double.class, 1000.0),
                getAndRemoveParameter(parameters, "publishingInterval", Double.class, 1000.0),
                getAndRemoveParameter(parameters, "queueSize", Integer.class, 10),
                getAndRemoveParameter(parameters, "deadband", Double.class, 0.0),
                getAndRemoveParameter(parameters, "username", String.class),
                getAndRemoveParameter(parameters, "password", String.class),
                getAndRemoveParameter(parameters, "securityPolicy", String.class, "None"),
                getAndRemoveParameter(parameters, "workers", Integer.class, 2),
                getAndRemoveParameter(parameters, "laneCapacity", Integer.class, 50_000),
                Duration.ofMillis(getAndRemoveParameter(parameters, "reconnectMin", Long.class, 1000L)),
                Duration.ofMillis(getAndRemoveParameter(parameters, "reconnectMax", Long.class, 30_000L)),
                getAndRemoveParameter(parameters, "connector", String.class));
        OpcUaSubscriptionEndpoint endpoint = new OpcUaSubscriptionEndpoint(uri, this, config);
        setProperties(endpoint, parameters); // leaves unknown options to Camel, which rejects them
        return endpoint;
    }

    /** Camel may hand over {@code opc.tcp:host:port} or {@code opc.tcp://host:port}; Milo wants the latter. */
    static String endpointUrl(String remaining) {
        String url = remaining.startsWith("opc.tcp://") ? remaining
                : remaining.startsWith("opc.tcp:") ? "opc.tcp://" + remaining.substring("opc.tcp:".length())
                : "opc.tcp://" + remaining;
        return url;
    }

    /**
     * {@code nodeIds=#name}: a bean (a collection of node ids, or one comma-separated string), because
     * 20,000 node ids make a URI of about a megabyte.
     */
    private List<String> lookupNodeIds(String beanName) {
        Object bean = getCamelContext().getRegistry().lookupByName(beanName);
        if (bean instanceof java.util.Collection<?> ids) {
            return ids.stream().map(String::valueOf).toList();
        }
        if (bean instanceof String ids) {
            return splitNodeIds(ids);
        }
        throw new IllegalArgumentException(SCHEME + ": bean '" + beanName
                + "' must be a collection of node ids or a comma-separated string, but is " + bean);
    }

    /** Node ids contain ';' and '=' but never ',' in our naming, so a plain comma split is enough. */
    static List<String> splitNodeIds(String nodeIds) {
        return Arrays.stream(nodeIds.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
