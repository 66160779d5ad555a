package io.factoryhub.hub.reload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls routes/ and connectors/ for added, changed and removed YAML files and hands them to the loader.
 * Polling (not WatchService) because editors save in many ways (rename, truncate+write) and network/bind
 * mounts often deliver no events; one stat per file per interval is cheap.
 */
public final class RouteDirectoryWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RouteDirectoryWatcher.class);

    private final List<Path> directories;
    private final RouteFileLoader loader;
    private final long intervalMillis;
    private final Map<Path, FileTime> seen = new HashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "route-file-watcher");
        thread.setDaemon(true);
        return thread;
    });

    public RouteDirectoryWatcher(List<Path> directories, RouteFileLoader loader, long intervalMillis) {
        this.directories = directories;
        this.loader = loader;
        this.intervalMillis = intervalMillis;
    }

    /** Loads every file now, then keeps watching. */
    public void start() {
        scan();
        scheduler.scheduleWithFixedDelay(this::scanSafely, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** One pass: load new or changed files, unload removed ones. Package-visible for tests. */
    synchronized void scan() {
        // LinkedHashMap: directories in the order given (routes/ before connectors/), files sorted within each
        Map<Path, FileTime> current = new java.util.LinkedHashMap<>();
        for (Path directory : directories) {
            listYaml(directory).forEach(file -> current.put(file, modified(file)));
        }
        for (Path gone : Map.copyOf(seen).keySet()) {
            if (!current.containsKey(gone)) {
                seen.remove(gone);
                loader.unload(gone);
            }
        }
        current.entrySet().forEach(entry -> {
            if (!entry.getValue().equals(seen.get(entry.getKey()))) {
                seen.put(entry.getKey(), entry.getValue());
                loader.load(entry.getKey());
            }
        });
    }

    private void scanSafely() {
        try {
            scan();
        } catch (RuntimeException e) {
            LOG.error("Scanning {} failed: {}", directories, e.getMessage(), e);
        }
    }

    static List<Path> listYaml(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml") || f.getFileName().toString().endsWith(".yml"))
                    .filter(Files::isRegularFile)
                    .map(Path::toAbsolutePath)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            LOG.warn("Cannot list {}: {}", directory, e.getMessage());
            return List.of();
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
