package io.factoryhub.hub.reload;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Polls routes/ and connectors/ for added, changed and removed YAML files and hands them to the loader, and the
 * kamelets folder for kamelets that change (the files using them are reloaded). See {@link FileStamps} for why polling.
 */
public final class RouteDirectoryWatcher implements AutoCloseable {

    private final List<Path> directories;
    private final Path kameletsDir;
    private final RouteFileLoader loader;
    private final long intervalMillis;
    private final FileStamps files = new FileStamps();
    private final FileStamps kamelets = new FileStamps();
    private boolean kameletsSeen;
    private Polling polling;

    public RouteDirectoryWatcher(List<Path> directories, Path kameletsDir, RouteFileLoader loader, long intervalMillis) {
        this.directories = directories;
        this.kameletsDir = kameletsDir;
        this.loader = loader;
        this.intervalMillis = intervalMillis;
    }

    /** Loads every file now, then keeps watching. */
    public void start() {
        scan();
        polling = Polling.every(intervalMillis, "route-file-watcher", this::scan);
    }

    /** One pass: load new or changed files, unload removed ones. Package-visible for tests. */
    synchronized void scan() {
        scanKamelets();
        // directories in the order given (routes/ before connectors/), files sorted within each
        List<Path> current = new ArrayList<>();
        directories.forEach(directory -> current.addAll(FileStamps.yamlFiles(directory)));
        FileStamps.Changes changes = files.update(current);
        changes.removed().forEach(loader::unload);
        changes.changed().forEach(loader::load);
    }

    /** Kamelets first: a file edited together with the kamelet it uses is then loaded once, against the new one. */
    private void scanKamelets() {
        FileStamps.Changes changes = kamelets.update(FileStamps.yamlFiles(kameletsDir));
        if (kameletsSeen) {
            Stream.concat(changes.changed().stream(), changes.removed().stream())
                    .map(KameletCatalog::nameOf).filter(Objects::nonNull).forEach(loader::kameletChanged);
        }
        kameletsSeen = true;
    }

    @Override
    public void close() {
        if (polling != null) {
            polling.close();
        }
    }
}
