package io.factoryhub.hub.http;

import io.vertx.ext.web.Router;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;

/**
 * The hub's HTTP port ({@code factory.http.port}): Camel's management server, which already serves {@code /health}
 * and {@code /metrics}. The dashboard and the model server add their routes to the same Vert.x router, so the hub
 * keeps one port and one bind address ({@code factory.http.host}).
 */
public final class HubHttp {

    private HubHttp() {
    }

    /** The router of the running management server; Camel must have been started. */
    public static Router router(CamelContext context) {
        ManagementHttpServer server = context.hasService(ManagementHttpServer.class);
        if (server == null || server.getRouter() == null) {
            throw new IllegalStateException("the hub's HTTP server is not running (camel.management.enabled is false?)");
        }
        return server.getRouter();
    }
}
