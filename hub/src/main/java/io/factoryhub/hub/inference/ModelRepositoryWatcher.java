package io.factoryhub.hub.inference;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the catalog serving, of each model in the repository, the highest version that loads. Polls like the route
 * watcher (no WatchService: copies and bind mounts often deliver no events). A new version is loaded completely
 * before it replaces the served one; a file that fails is logged with its path and why, the version served until then
 * goes on, and the file is tried again once it changes (a copy still being written fails once, then loads).
 */
final class ModelRepositoryWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelRepositoryWatcher.class);

    private final ModelRepository repository;
    private final ModelCatalog catalog;
    private final long intervalMillis;
    private final ModelServerMetrics metrics;
    /** Files that did not load, as they were then, with why. */
    private final Map<Path, Failure> failed = new HashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "model-repository-watcher");
        thread.setDaemon(true);
        return thread;
    });

    private record Failure(ModelFile file, String reason) {
    }

    ModelRepositoryWatcher(ModelRepository repository, ModelCatalog catalog, long intervalMillis, ModelServerMetrics metrics) {
        this.repository = repository;
        this.catalog = catalog;
        this.intervalMillis = intervalMillis;
        this.metrics = metrics;
    }

    /** Loads every model now, then keeps watching. */
    void start() {
        scan();
        scheduler.scheduleWithFixedDelay(this::scanSafely, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    synchronized void scan() {
        Map<String, List<ModelFile>> onDisk = repository.scan();
        boolean change = false;
        for (String name : catalog.names()) {
            if (!onDisk.containsKey(name)) {
                LOG.info("Model {} is gone from {}: no longer served", name, repository.root());
                catalog.remove(name);
                change = true;
            }
        }
        Set<Path> files = onDisk.values().stream().flatMap(List::stream).map(ModelFile::path).collect(Collectors.toSet());
        failed.keySet().retainAll(files);
        for (Map.Entry<String, List<ModelFile>> model : onDisk.entrySet()) {
            change |= serveBest(model.getKey(), model.getValue());
        }
        if (change) {
            metrics.served(catalog.versions());
        }
    }

    /** @param versions highest first; returns whether what is served changed */
    private boolean serveBest(String name, List<ModelFile> versions) {
        ModelFile current = catalog.served(name).map(LoadedModel::file).orElse(null);
        String lastReason = null;
        for (ModelFile file : versions) {
            if (file.equals(current)) {
                return false;
            }
            Failure failure = failed.get(file.path());
            if (failure != null && failure.file().equals(file)) {
                lastReason = failure.reason();
                continue;
            }
            try {
                LoadedModel loaded = LoadedModel.load(file);
                LOG.info("Serving model {} version {} from {}{}", name, file.version(), file.path(),
                        current == null ? "" : " (was version " + current.version() + ")");
                catalog.serve(loaded);
                failed.remove(file.path());
                return true;
            } catch (Exception e) {
                lastReason = file.path() + " does not load: " + e.getMessage();
                failed.put(file.path(), new Failure(file, lastReason));
                metrics.loadFailed(name);
                LOG.error("Model {} version {}: {}{}", name, file.version(), lastReason,
                        versions.contains(current) ? "; version " + current.version() + " is still served" : "");
            }
        }
        catalog.unavailable(name, lastReason);
        return current != null;
    }

    private void scanSafely() {
        try {
            scan();
        } catch (RuntimeException e) {
            LOG.error("Scanning the model repository {} failed: {}", repository.root(), e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(30, TimeUnit.SECONDS); // a load in progress finishes before its session is closed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
