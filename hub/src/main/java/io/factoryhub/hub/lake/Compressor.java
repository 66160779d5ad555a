package io.factoryhub.hub.lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Encoding and gzip on threads of their own (one per core), so the consumer thread only polls and batches, and the
 * objects of several partitions are compressed at once (measured with bench lake). The steps of one stream run in
 * order, as each waits for its predecessor; at most {@code maxChunks} steps wait, so slower compression holds the
 * consumer back instead of filling the heap.
 */
final class Compressor implements AutoCloseable {

    private final ExecutorService thread = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), r -> {
        Thread t = new Thread(r, "factory-hub-lake-gzip");
        t.setDaemon(true);
        return t;
    });
    private final Semaphore inFlight;

    Compressor(int maxChunks) {
        this.inFlight = new Semaphore(maxChunks);
    }

    /** A step of one stream: {@code work} runs after {@code previous} (the stream's last step), on a compressor thread. */
    CompletableFuture<Void> run(CompletableFuture<Void> previous, Step work) {
        inFlight.acquireUninterruptibly();
        return previous.<Void>handleAsync((ignored, failed) -> {
            try {
                if (failed != null) {
                    throw new CompletionException(failed); // the stream is broken: so is every later step
                }
                work.run();
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(e); // in-memory streams: not expected
            } finally {
                inFlight.release(); // also after a failure, or the writer would wait for ever
            }
        }, thread);
    }

    /** Encoding or deflating: in-memory I/O. */
    @FunctionalInterface
    interface Step {
        void run() throws IOException;
    }

    @Override
    public void close() {
        thread.shutdown();
    }
}
