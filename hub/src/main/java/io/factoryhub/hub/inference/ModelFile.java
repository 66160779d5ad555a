package io.factoryhub.hub.inference;

import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * One version's {@code model.onnx} as found in the repository. Two scans find an equal record while the file is
 * unchanged, so a file that failed to load is tried again only once it is rewritten.
 */
record ModelFile(String name, long version, Path path, long size, FileTime modified) {
}
