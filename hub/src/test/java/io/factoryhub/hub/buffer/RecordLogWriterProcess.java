package io.factoryhub.hub.buffer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link SqliteRecordLog} used in a JVM of its own, so a test can kill it like a crashed hub (SIGKILL: no shutdown
 * hook, no close). {@code main(dir, fsync)} appends groups of 1 to 50 records in a loop and prints
 * {@code APPENDED <seq>} after each append returned; a second thread reads, checks and trims behind it and prints
 * {@code TRIMMED <seq>} after each trim returned, and {@code CORRUPT ...} for any record that is not
 * {@link #recordOf(long)}.
 */
final class RecordLogWriterProcess implements AutoCloseable {

    static final String APPENDED = "APPENDED ";
    static final String TRIMMED = "TRIMMED ";
    static final String CORRUPT = "CORRUPT ";
    /** The trimmer leaves this many records behind it, so the reopened log holds some. */
    private static final int KEEP_BEHIND = 500;

    private final Process process;
    private final BufferedReader output;

    private RecordLogWriterProcess(Process process) {
        this.process = process;
        this.output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static RecordLogWriterProcess start(Path dir, boolean fsync, Path stderr) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(List.of(java.toString(), "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                RecordLogWriterProcess.class.getName(), dir.toString(), Boolean.toString(fsync)))
                .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()))
                .start();
        return new RecordLogWriterProcess(process);
    }

    /** The next line the child printed, null once it is dead and everything it printed has been read. */
    String readLine() throws IOException {
        return output.readLine();
    }

    /** Like a crash: SIGKILL, nothing closed. Lines printed before it stay readable until {@link #readLine()} gives null. */
    void kill() throws InterruptedException {
        // through the handle: Process.destroyForcibly also closes our end of the pipe, and the lines still in it with it
        process.toHandle().destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        output.close();
    }

    /** The bytes of record {@code seq}: 0 to 1,199 bytes, the length and content both derived from seq. */
    static byte[] recordOf(long seq) {
        byte[] bytes = new byte[(int) (seq * 7919 % 1200)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (seq * 31 + i);
        }
        return bytes;
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        SqliteRecordLog log = SqliteRecordLog.open(Path.of(args[0]), Boolean.parseBoolean(args[1]));
        long trimmed = log.lastSeq() - log.records();
        Thread trimmer = new Thread(() -> trimBehind(log, trimmed, out), "trimmer");
        trimmer.setDaemon(true);
        trimmer.start();
        for (int n = 1; ; n = n % 50 + 1) {
            long first = log.lastSeq() + 1;
            List<byte[]> group = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                group.add(recordOf(first + i));
            }
            out.println(APPENDED + log.append(group));
        }
    }

    private static void trimBehind(RecordLog log, long trimmed, PrintStream out) {
        long after = trimmed;
        long trimmedThrough = trimmed;
        try {
            while (true) {
                List<RecordLog.Entry> entries = log.readAfter(after, 1000, 1 << 20);
                for (RecordLog.Entry entry : entries) {
                    if (entry.seq() != after + 1 || !Arrays.equals(entry.bytes(), recordOf(entry.seq()))) {
                        out.println(CORRUPT + "expected seq " + (after + 1) + ", read seq " + entry.seq());
                    }
                    after = entry.seq();
                }
                if (entries.isEmpty()) {
                    Thread.sleep(5);
                    continue;
                }
                long through = after - KEEP_BEHIND;
                if (through - trimmedThrough >= 1000) {
                    log.trimThrough(through);
                    trimmedThrough = through;
                    out.println(TRIMMED + through);
                }
            }
        } catch (IOException | InterruptedException e) {
            out.println(CORRUPT + e);
        }
    }
}
