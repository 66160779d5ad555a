package io.factoryhub.hub.lake;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * gzip on a thread of its own, so the consumer thread polls and encodes while the previous chunk is deflated: on two
 * cores that is roughly max(encode, deflate) per record instead of their sum (deflate is the larger half, measured).
 * Chunks of one stream are written in order (each waits for its predecessor); at most {@code maxChunks} wait, so a
 * slower deflate holds the consumer back instead of filling the heap.
 */
final class Compressor implements AutoCloseable {

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "factory-hub-lake-gzip");
        t.setDaemon(true);
        return t;
    });
    private final Semaphore inFlight;

    Compressor(int maxChunks) {
        this.inFlight = new Semaphore(maxChunks);
    }

    /** Writes {@code length} bytes of {@code chunk} to {@code out} after {@code previous}; the caller gives up {@code chunk}. */
    CompletableFuture<Void> write(CompletableFuture<Void> previous, OutputStream out, byte[] chunk, int length) {
        inFlight.acquireUninterruptibly();
        return previous.thenRunAsync(() -> {
            try {
                out.write(chunk, 0, length);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // in-memory streams: not expected
            } finally {
                inFlight.release();
            }
        }, thread);
    }

    /** Closes {@code out} after {@code previous}. */
    CompletableFuture<Void> close(CompletableFuture<Void> previous, OutputStream out) {
        return previous.thenRunAsync(() -> {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, thread);
    }

    @Override
    public void close() {
        thread.shutdown();
    }
}
