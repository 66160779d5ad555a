package io.factoryhub.hub.opcua;

import java.util.List;
import java.util.Optional;

import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;

/**
 * Picks the server endpoint to open a session on: the configured security policy, signed and encrypted unless the
 * policy is {@code None}, reached at the configured host and port.
 */
final class EndpointSelector {

    private final String endpointUrl;
    private final String policyUri;

    EndpointSelector(String endpointUrl, String securityPolicy) {
        this.endpointUrl = endpointUrl;
        this.policyUri = SecurityPolicy.valueOf(securityPolicy).getUri();
    }

    Optional<EndpointDescription> select(List<EndpointDescription> endpoints) {
        return endpoints.stream()
                .filter(e -> policyUri.equals(e.getSecurityPolicyUri()))
                .filter(e -> SecurityPolicy.None.getUri().equals(policyUri)
                        || e.getSecurityMode() == MessageSecurityMode.SignAndEncrypt)
                .findFirst()
                // servers often advertise a host name the client cannot resolve: keep the configured one
                .map(e -> EndpointUtil.updateUrl(e, EndpointUtil.getHost(endpointUrl), EndpointUtil.getPort(endpointUrl)));
    }
}
