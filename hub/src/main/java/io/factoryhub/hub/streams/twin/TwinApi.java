package io.factoryhub.hub.streams.twin;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.factoryhub.hub.http.HubHttp;
import io.factoryhub.hub.streams.JsonSerde;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.kafka.streams.KafkaStreams;

/**
 * {@code GET /api/machines} (every twin, a JSON array by machineId) and {@code GET /api/machines/{machineId}} (one
 * twin; 404 for a machine no twin has) on the hub's HTTP port; 503 with the reason while the twins cannot be read
 * ({@link MachineTwins}). On Vert.x's worker threads: a store read must not hold up the port's event loop.
 */
public final class TwinApi {

    private static final String RETRY_AFTER_S = "2";

    private final MachineTwins twins;

    private TwinApi(MachineTwins twins) {
        this.twins = twins;
    }

    /** Adds the routes to the running hub's HTTP server; they go with it. */
    public static void serve(CamelContext context, KafkaStreams streams) {
        TwinApi api = new TwinApi(new MachineTwins(streams));
        Router router = HubHttp.router(context);
        router.get("/api/machines").blockingHandler(api::all, false);
        router.get("/api/machines/:machineId").blockingHandler(api::one, false);
    }

    private void all(RoutingContext ctx) {
        try {
            json(ctx, 200, twins.all());
        } catch (MachineTwins.Unavailable e) {
            unavailable(ctx, e);
        }
    }

    private void one(RoutingContext ctx) {
        String machineId = ctx.pathParam("machineId");
        try {
            Optional<?> twin = twins.find(machineId);
            if (twin.isPresent()) {
                json(ctx, 200, twin.get());
            } else {
                json(ctx, 404, Map.of("error", "no machine '" + machineId + "': none of its readings or states has"
                        + " reached the twin"));
            }
        } catch (MachineTwins.Unavailable e) {
            unavailable(ctx, e);
        }
    }

    private static void unavailable(RoutingContext ctx, MachineTwins.Unavailable e) {
        ctx.response().putHeader("Retry-After", RETRY_AFTER_S);
        json(ctx, 503, Map.of("error", e.getMessage()));
    }

    private static void json(RoutingContext ctx, int status, Object body) {
        try {
            ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
                    .end(Buffer.buffer(JsonSerde.MAPPER.writeValueAsBytes(body)));
        } catch (JsonProcessingException e) {
            ctx.fail(e);
        }
    }
}
