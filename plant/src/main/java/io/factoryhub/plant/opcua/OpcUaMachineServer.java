package io.factoryhub.plant.opcua;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelOption;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.CompositeValidator;
import org.eclipse.milo.opcua.sdk.server.identity.IdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.UsernameIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.stack.core.security.CertificateManager;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real OPC-UA server (Eclipse Milo 1.0) that exposes simulated machine tags.
 *
 * <p>Every node path {@code Site/Line/Machine/Tag} becomes folders below Objects and one Double
 * variable with node id {@code ns=2;s=<nodePath>} in namespace {@value MachineNamespace#NAMESPACE_URI}.
 * Endpoint: {@code opc.tcp://localhost:<port>}, SecurityPolicy None, anonymous access; if users are
 * given, username/password is accepted as well.
 *
 * <p>{@link #start()} builds a fresh Milo server each time, so the instance can be closed and started
 * again on the same port (the reconnect tests rely on it); values set before a restart are not kept,
 * like on a real device that rebooted.
 */
public final class OpcUaMachineServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OpcUaMachineServer.class);
    private static final String APPLICATION_URI = "urn:factory-hub:plant-simulator:server";

    private final int port;
    private final Path pkiDir;
    private final List<String> nodePaths;
    private final Map<String, String> users;

    private volatile OpcUaServer server;
    private volatile MachineNamespace namespace;

    public OpcUaMachineServer(int port, Path pkiDir, List<String> nodePaths) {
        this(port, pkiDir, nodePaths, Map.of());
    }

    /** @param users username to password; empty means anonymous access only */
    public OpcUaMachineServer(int port, Path pkiDir, List<String> nodePaths, Map<String, String> users) {
        this.port = port;
        this.pkiDir = pkiDir;
        this.nodePaths = List.copyOf(nodePaths);
        this.users = Map.copyOf(users);
    }

    public synchronized void start() throws Exception {
        if (server != null) {
            return;
        }
        OpcUaServer created = new OpcUaServer(config(), profile -> new OpcTcpServerTransport(
                OpcTcpServerTransportConfig.newBuilder()
                        // a restart binds again while connections of the old instance sit in TIME_WAIT
                        .setBootstrapCustomizer(b -> b.option(ChannelOption.SO_REUSEADDR, true))
                        .build()));
        MachineNamespace ns = new MachineNamespace(created, nodePaths);
        ns.startup();
        try {
            created.startup().get(30, TimeUnit.SECONDS);
            // Milo only logs a WARN when binding fails; a simulator that is not listening must fail loudly
            if (created.getBoundEndpoints().isEmpty()) {
                throw new IllegalStateException("OPC-UA server could not bind port " + port);
            }
        } catch (Exception e) {
            ns.shutdown();
            created.shutdown().get(10, TimeUnit.SECONDS);
            throw e;
        }
        this.namespace = ns;
        this.server = created;
        LOG.info("OPC-UA plant simulator listening on {} ({} variables)", endpointUrl(), nodePaths.size());
    }

    public String endpointUrl() {
        return "opc.tcp://localhost:" + port;
    }

    public List<String> nodePaths() {
        return nodePaths;
    }

    /** Sets a Good value with the given source timestamp. */
    public void setValue(String nodePath, double value, Instant sourceTime) {
        node(nodePath).setValue(new DataValue(new Variant(value), StatusCode.GOOD,
                new DateTime(sourceTime), DateTime.now()));
    }

    /** Keeps the current value but changes its status, e.g. to simulate a broken sensor. */
    public void setStatus(String nodePath, StatusCode status) {
        UaVariableNode node = node(nodePath);
        node.setValue(new DataValue(node.getValue().getValue(), status, DateTime.now(), DateTime.now()));
    }

    /** A Bad status and no value, as a conformant server reports a failed sensor (OPC-UA Part 4, 7.7.1). */
    public void setBadWithoutValue(String nodePath, StatusCode status) {
        node(nodePath).setValue(new DataValue(Variant.NULL_VALUE, status, DateTime.now(), DateTime.now()));
    }

    private UaVariableNode node(String nodePath) {
        MachineNamespace ns = namespace;
        if (ns == null) {
            throw new IllegalStateException("OPC-UA server is not running");
        }
        return ns.variable(nodePath);
    }

    @Override
    public synchronized void close() {
        OpcUaServer running = server;
        if (running == null) {
            return;
        }
        server = null;
        try {
            namespace.shutdown();
            running.shutdown().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("OPC-UA plant simulator did not shut down cleanly: {}", e.toString());
        } finally {
            namespace = null;
        }
        // Stack.releaseSharedResources() is deliberately not called: clients in the same JVM share
        // Milo's event loop and would lose their connections.
        LOG.info("OPC-UA plant simulator on port {} stopped", port);
    }

    private OpcUaServerConfig config() throws Exception {
        CertificateManager certificates = ServerPki.create(pkiDir, APPLICATION_URI);
        // A None endpoint carries no certificate by default, but clients need it to encrypt a password
        X509Certificate certificate = certificates.getDefaultApplicationGroup().orElseThrow()
                .getCertificateEntries().get(0).certificateChain[0];
        Set<EndpointConfig> endpoints = new LinkedHashSet<>();
        List<UserTokenPolicy> tokenPolicies = new ArrayList<>();
        tokenPolicies.add(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS);
        if (!users.isEmpty()) {
            tokenPolicies.add(OpcUaServerConfig.USER_TOKEN_POLICY_USERNAME);
        }
        endpoints.add(EndpointConfig.newBuilder()
                .setBindAddress("127.0.0.1")
                .setHostname("localhost")
                .setBindPort(port)
                .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
                .setSecurityPolicy(SecurityPolicy.None)
                .setSecurityMode(MessageSecurityMode.None)
                .setCertificate(certificate)
                .addTokenPolicies(tokenPolicies.toArray(UserTokenPolicy[]::new))
                .build());
        return OpcUaServerConfig.builder()
                .setApplicationUri(APPLICATION_URI)
                .setApplicationName(LocalizedText.english("factory-hub plant simulator"))
                .setProductUri("urn:factory-hub:plant-simulator")
                .setCertificateManager(certificates)
                .setIdentityValidator(identityValidator())
                .setEndpoints(endpoints)
                .build();
    }

    private IdentityValidator identityValidator() {
        if (users.isEmpty()) {
            return AnonymousIdentityValidator.INSTANCE;
        }
        var passwords = new UsernameIdentityValidator(
                challenge -> challenge.getPassword() != null
                        && challenge.getPassword().equals(users.get(challenge.getUsername())));
        return new CompositeValidator(AnonymousIdentityValidator.INSTANCE, passwords);
    }
}
