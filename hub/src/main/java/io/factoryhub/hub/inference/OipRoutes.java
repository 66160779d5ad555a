package io.factoryhub.hub.inference;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Open Inference Protocol v2 REST endpoints on the hub's router. Health, readiness and metadata are answered on
 * the event loop (they only read the catalog); inference runs on Vert.x's worker threads, concurrently, since
 * scoring is CPU work that would stall every other request of the port.
 */
final class OipRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(OipRoutes.class);
    private static final String PLATFORM = "onnxruntime_onnx";
    /** Far above a batch of windows (64 x 5 values is ~3 KB), and a bound on what one request may make us hold. */
    private static final long MAX_REQUEST_BYTES = 16L * 1024 * 1024;
    private static final String MODEL = "/v2/models/:name";
    private static final String VERSION = MODEL + "/versions/:version";

    private final ModelCatalog catalog;
    private final ModelServerMetrics metrics;

    private OipRoutes(ModelCatalog catalog, ModelServerMetrics metrics) {
        this.catalog = catalog;
        this.metrics = metrics;
    }

    /** Adds the routes; returns them, for taking them off again. */
    static List<Route> register(Router router, ModelCatalog catalog, ModelServerMetrics metrics) {
        OipRoutes routes = new OipRoutes(catalog, metrics);
        List<Route> added = new ArrayList<>();
        added.add(router.get("/v2/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("live", true))));
        added.add(router.get("/v2/health/ready").handler(routes::serverReady));
        for (String model : List.of(MODEL, VERSION)) {
            added.add(router.get(model).handler(routes::metadata));
            added.add(router.get(model + "/ready").handler(routes::modelReady));
            // Camel's router has no router-wide BodyHandler (its own routes add one each): this route needs its own;
            // false: no file uploads, so no uploads folder is created
            added.add(router.post(model + "/infer").handler(BodyHandler.create(false).setBodyLimit(MAX_REQUEST_BYTES))
                    .blockingHandler(routes::infer, false));
        }
        return added;
    }

    private void serverReady(RoutingContext ctx) {
        boolean ready = catalog.allReady();
        json(ctx, ready ? 200 : 503, new JsonObject().put("ready", ready));
    }

    private void metadata(RoutingContext ctx) {
        LoadedModel model;
        try {
            model = catalog.find(ctx.pathParam("name"), ctx.pathParam("version"));
        } catch (OipException e) {
            error(ctx, e.status(), e.getMessage());
            return;
        }
        json(ctx, 200, new JsonObject()
                .put("name", model.name())
                .put("versions", new JsonArray().add(Long.toString(model.version())))
                .put("platform", PLATFORM)
                .put("inputs", tensors(model.inputs()))
                .put("outputs", tensors(model.outputs())));
    }

    private static JsonArray tensors(List<TensorSpec> specs) {
        JsonArray tensors = new JsonArray();
        for (TensorSpec spec : specs) {
            JsonArray shape = new JsonArray();
            for (long dim : spec.shape()) {
                shape.add(dim);
            }
            tensors.add(new JsonObject().put("name", spec.name()).put("datatype", spec.datatype().name()).put("shape", shape));
        }
        return tensors;
    }

    private void modelReady(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        try {
            catalog.find(name, ctx.pathParam("version"));
            json(ctx, 200, new JsonObject().put("name", name).put("ready", true));
        } catch (OipException e) {
            if (e.status() == 503) {
                json(ctx, 503, new JsonObject().put("name", name).put("ready", false).put("error", e.getMessage()));
            } else {
                error(ctx, e.status(), e.getMessage());
            }
        }
    }

    private void infer(RoutingContext ctx) {
        long start = System.nanoTime();
        LoadedModel model;
        try {
            model = catalog.acquire(ctx.pathParam("name"), ctx.pathParam("version"));
        } catch (OipException e) {
            error(ctx, e.status(), e.getMessage());
            return;
        }
        int status = 200;
        try {
            Buffer body = ctx.body().buffer();
            if (body == null) {
                throw OipException.badRequest("the request has no body");
            }
            ctx.response().setStatusCode(200).putHeader("content-type", "application/json")
                    .end(Buffer.buffer(Inference.run(model, body.getBytes())));
        } catch (OipException e) {
            status = e.status();
            error(ctx, status, e.getMessage());
        } catch (Exception e) {
            status = 500;
            LOG.warn("Inference on model {} version {} failed: {}", model.name(), model.version(), e.toString());
            error(ctx, status, "inference failed: " + e.getMessage());
        } finally {
            model.release();
            metrics.request(model.name(), status, System.nanoTime() - start);
        }
    }

    private static void error(RoutingContext ctx, int status, String message) {
        json(ctx, status, new JsonObject().put("error", message));
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.toBuffer());
    }
}
