package io.factoryhub.hub.inference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model repository on disk, laid out as Triton's: {@code <root>/<name>/<version>/model.onnx}, the version a
 * positive whole number. A model is a folder with at least one such file; anything else in the tree (a version folder
 * still without its file, notes, hidden folders) is not looked at.
 */
final class ModelRepository {

    private static final Logger LOG = LoggerFactory.getLogger(ModelRepository.class);
    static final String MODEL_FILE = "model.onnx";

    private final Path root;

    ModelRepository(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** Every model's version files, by name, the highest version first. */
    Map<String, List<ModelFile>> scan() {
        Map<String, List<ModelFile>> models = new TreeMap<>();
        for (Path modelDir : list(root)) {
            String name = modelDir.getFileName().toString();
            if (name.startsWith(".") || !Files.isDirectory(modelDir)) {
                continue;
            }
            List<ModelFile> versions = list(modelDir).stream()
                    .flatMap(versionDir -> versionFile(name, versionDir).stream())
                    .sorted(Comparator.comparingLong(ModelFile::version).reversed())
                    .toList();
            if (!versions.isEmpty()) {
                models.put(name, versions);
            }
        }
        return models;
    }

    private static Optional<ModelFile> versionFile(String name, Path versionDir) {
        long version = version(versionDir.getFileName().toString());
        Path file = versionDir.resolve(MODEL_FILE);
        if (version < 1) {
            return Optional.empty();
        }
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.isRegularFile()
                    ? Optional.of(new ModelFile(name, version, file, attributes.size(), attributes.lastModifiedTime()))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // no model.onnx (yet)
        }
    }

    /** The folder name as a version, 0 when it is none (only digits, at least 1). */
    private static long version(String folder) {
        if (folder.isEmpty() || folder.length() > 18 || !folder.chars().allMatch(Character::isDigit)) {
            return 0;
        }
        return Long.parseLong(folder);
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        } catch (IOException e) {
            LOG.warn("Cannot list {}: {}", dir, e.getMessage());
            return List.of();
        }
    }
}
