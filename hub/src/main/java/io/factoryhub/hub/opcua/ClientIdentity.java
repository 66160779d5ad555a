package io.factoryhub.hub.opcua;

import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfigBuilder;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.IdentityProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;

/**
 * Who the hub is to an OPC-UA server: its application description, the user (anonymous, or username and password)
 * and, for secured policies, a client certificate ({@link ClientCertificate}).
 */
final class ClientIdentity {

    static final String APPLICATION_NAME = "factory-hub opcua-subscription";
    static final String APPLICATION_URI = "urn:factory-hub:hub:opcua-subscription";
    private static final String PRODUCT_URI = "urn:factory-hub";

    private final String username;
    private final String password;
    private final String securityPolicy;

    ClientIdentity(String username, String password, String securityPolicy) {
        this.username = username;
        this.password = password;
        this.securityPolicy = securityPolicy;
    }

    /** Sets the description and user; a secured policy gets a new certificate per client. */
    void applyTo(OpcUaClientConfigBuilder builder) {
        builder.setApplicationName(LocalizedText.english(APPLICATION_NAME))
                .setApplicationUri(APPLICATION_URI)
                .setProductUri(PRODUCT_URI)
                .setIdentityProvider(user());
        ClientCertificate.forPolicy(securityPolicy).ifPresent(certificate -> certificate.applyTo(builder));
    }

    private IdentityProvider user() {
        return username == null ? new AnonymousProvider() : new UsernameProvider(username, password);
    }
}
