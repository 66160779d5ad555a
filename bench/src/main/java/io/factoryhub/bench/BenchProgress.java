package io.factoryhub.bench;

import java.io.PrintWriter;

/** Progress lines of a bench stage on stderr ("bench ingest: ..."), flushed at once so a long phase shows it started. */
final class BenchProgress {

    private final PrintWriter log;
    private final String prefix;

    BenchProgress(PrintWriter log, String stage) {
        this.log = log;
        this.prefix = "bench " + stage + ": ";
    }

    void say(String format, Object... args) {
        log.printf(prefix + format + "%n", args);
        log.flush();
    }
}
