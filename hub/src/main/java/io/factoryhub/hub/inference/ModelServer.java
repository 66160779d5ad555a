package io.factoryhub.hub.inference;

import io.factoryhub.hub.http.HubHttp;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.Route;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Open Inference Protocol v2 (KServe v2 REST) model server: the ONNX models of the repository
 * ({@link ModelRepository}), scored in-process by ONNX Runtime, on the hub's HTTP port under {@code /v2}. Of each
 * model the latest version that loads is served; a version dropped into the repository replaces it while the hub
 * runs ({@link ModelRepositoryWatcher}).
 */
public final class ModelServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelServer.class);

    private final ModelCatalog catalog;
    private final ModelRepositoryWatcher watcher;
    private final List<Route> routes;

    private ModelServer(ModelCatalog catalog, ModelRepositoryWatcher watcher, List<Route> routes) {
        this.catalog = catalog;
        this.watcher = watcher;
        this.routes = routes;
    }

    /** Loads every model of the repository, then serves them; Camel, with its HTTP server, must have started. */
    public static ModelServer start(ModelServerSettings settings, CamelContext context) {
        MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        if (registry == null) {
            throw new IllegalStateException("the model server's metrics need Camel's Micrometer registry (camel.metrics.enabled)");
        }
        ModelServerMetrics metrics = new ModelServerMetrics(registry);
        ModelCatalog catalog = new ModelCatalog();
        ModelRepository repository = new ModelRepository(settings.repository());
        ModelRepositoryWatcher watcher = new ModelRepositoryWatcher(repository, catalog, settings.intervalMillis(), metrics);
        if (!Files.isDirectory(settings.repository())) {
            LOG.info("The model repository {} does not exist: no models until it does (factory.ml.model-repository)",
                    settings.repository());
        }
        watcher.start();
        LOG.info("Model server (OIP v2, /v2) serves {} from {}", catalog.versions(), settings.repository());
        return new ModelServer(catalog, watcher, OipRoutes.register(HubHttp.router(context), catalog, metrics));
    }

    /** Model name to the version served, sorted by name. */
    public Map<String, Long> served() {
        return catalog.versions();
    }

    /** Stops watching and serving; each session closes once the requests running on it are done. */
    @Override
    public void close() {
        routes.forEach(Route::remove);
        watcher.close();
        catalog.names().forEach(catalog::remove);
    }
}
