package io.factoryhub.hub.reload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which of some files were added, changed or removed since the last look, by modification time: the polling both
 * file watchers (routes/connectors, rules) are built on. Polling (not WatchService) because editors save in many ways
 * (rename, truncate+write) and network/bind mounts often deliver no events; one stat per file per interval is cheap.
 */
public final class FileStamps {

    private static final Logger LOG = LoggerFactory.getLogger(FileStamps.class);

    private final Map<Path, FileTime> seen = new HashMap<>();

    /** @param changed added or modified, in the order given; @param removed gone since the last look */
    public record Changes(List<Path> changed, List<Path> removed) {
    }

    /** Compares {@code files} with what the last call saw, and remembers them. */
    public Changes update(List<Path> files) {
        Map<Path, FileTime> current = new HashMap<>();
        List<Path> changed = new ArrayList<>();
        for (Path file : files) {
            FileTime modified = modified(file);
            current.put(file, modified);
            if (!modified.equals(seen.get(file))) {
                changed.add(file);
            }
        }
        List<Path> removed = seen.keySet().stream().filter(file -> !current.containsKey(file)).sorted().toList();
        seen.clear();
        seen.putAll(current);
        return new Changes(changed, removed);
    }

    /** Forgets a file, so the next look reports it as changed again: to retry what failed. */
    public void forget(Path file) {
        seen.remove(file);
    }

    /** The YAML files of a directory, absolute and sorted; none when it does not exist. */
    public static List<Path> yamlFiles(Path directory) {
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
}
