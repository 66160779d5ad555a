package io.factoryhub.hub.reload;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a pass every interval on a daemon thread of its own; a pass that throws is logged and the next one runs. */
public final class Polling implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Polling.class);

    private final ScheduledExecutorService scheduler;

    private Polling(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /** The first pass after one interval: the caller runs the pass at start itself, to see it fail. */
    public static Polling every(long intervalMillis, String threadName, Runnable pass) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, threadName);
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                pass.run();
            } catch (RuntimeException e) {
                LOG.error("{} failed: {}", threadName, e.getMessage(), e);
            }
        }, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        return new Polling(scheduler);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
