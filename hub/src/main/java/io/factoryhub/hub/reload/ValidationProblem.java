package io.factoryhub.hub.reload;

import java.nio.file.Path;

/**
 * One reason a routes/ or connectors/ file is refused.
 *
 * @param file     the file
 * @param line     1-based line, 0 when unknown
 * @param property the property or option at fault, null when the whole file is
 * @param message  what is wrong and, where it helps, what would be right
 */
public record ValidationProblem(Path file, int line, String property, String message) {

    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line : "") + ": " + (property == null ? "" : "property '" + property + "': ") + message;
    }
}
