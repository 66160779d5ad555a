package io.factoryhub.hub.inference.action;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers windows from any number of threads into batches of up to {@code batchSize}, closed {@code batchTimeoutMs}
 * after their first window, and hands each to the scorer on one of {@code concurrentRequests} threads. Offering never
 * waits: with every request in flight and the queue full (a model slower than the data), the window is not scored
 * and counted, so the readings' own flow never slows down.
 */
final class MicroBatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MicroBatcher.class);
    /** Batches' worth of windows that may wait for a free request. */
    private static final int QUEUED_BATCHES = 32;

    private final BlockingQueue<Window> queue;
    private final int batchSize;
    private final long batchTimeoutNanos;
    private final Semaphore inFlight;
    private final ExecutorService requests;
    private final Consumer<List<Window>> scorer;
    private final Thread gatherer;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean running = true;

    MicroBatcher(String name, int batchSize, long batchTimeoutMs, int concurrentRequests, Consumer<List<Window>> scorer) {
        this.queue = new ArrayBlockingQueue<>(batchSize * QUEUED_BATCHES);
        this.batchSize = batchSize;
        this.batchTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(batchTimeoutMs);
        this.inFlight = new Semaphore(concurrentRequests);
        this.scorer = scorer;
        this.requests = Executors.newFixedThreadPool(concurrentRequests, daemon("inference-" + name));
        this.gatherer = daemon("inference-batcher-" + name).newThread(this::gather);
        gatherer.start();
    }

    /** False when the window was dropped (queue full). */
    boolean offer(Window window) {
        if (queue.offer(window)) {
            return true;
        }
        if (dropped.incrementAndGet() % 10_000 == 1) {
            LOG.warn("{} windows not scored so far: the model is slower than the telemetry", dropped.get());
        }
        return false;
    }

    private void gather() {
        while (running) {
            try {
                Window first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<Window> batch = new ArrayList<>(batchSize);
                batch.add(first);
                long deadline = System.nanoTime() + batchTimeoutNanos;
                queue.drainTo(batch, batchSize - 1);
                while (batch.size() < batchSize) {
                    Window next = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                    queue.drainTo(batch, batchSize - batch.size());
                }
                inFlight.acquire();
                requests.execute(() -> {
                    try {
                        scorer.accept(batch);
                    } finally {
                        inFlight.release();
                    }
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stops gathering; requests in flight finish (up to 5 s), windows still queued are not scored. */
    @Override
    public void close() {
        running = false;
        gatherer.interrupt();
        requests.shutdown();
        try {
            if (!requests.awaitTermination(5, TimeUnit.SECONDS)) {
                requests.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicLong n = new AtomicLong();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
