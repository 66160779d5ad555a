package io.factoryhub.hub.opcua;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves data changes off Milo's notification thread onto a few worker lanes.
 *
 * <p>A key (the monitored item's index) always maps to the same lane and each lane has one thread,
 * so changes of one node are processed in arrival order while different nodes run in parallel.
 * Lanes are bounded: when the route is slower than the server, {@link #submit} waits up to
 * {@code maxWait} (backpressure on Milo's publish loop), then drops the change and counts it, so a
 * stuck route cannot stall the OPC-UA session forever.
 */
final class OrderedDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(OrderedDispatcher.class);
    private static final Runnable POISON = () -> { };

    private final List<BlockingQueue<Runnable>> lanes = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final long maxWaitMillis;
    private final AtomicLong dropped = new AtomicLong();
    private volatile long lastDropLog;

    OrderedDispatcher(String name, int workers, int laneCapacity, long maxWaitMillis) {
        this.maxWaitMillis = maxWaitMillis;
        for (int i = 0; i < workers; i++) {
            BlockingQueue<Runnable> lane = new ArrayBlockingQueue<>(laneCapacity);
            lanes.add(lane);
            Thread thread = new Thread(() -> drain(lane), name + "-lane-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
    }

    void submit(int key, Runnable task) {
        BlockingQueue<Runnable> lane = lanes.get(Math.floorMod(key, lanes.size()));
        try {
            if (lane.offer(task, maxWaitMillis, TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long total = dropped.incrementAndGet();
        long now = System.currentTimeMillis();
        if (now - lastDropLog > 10_000) { // one line per 10 s, not one per dropped value
            lastDropLog = now;
            LOG.warn("OPC-UA data changes dropped because the route is not keeping up: {} so far", total);
        }
    }

    long droppedCount() {
        return dropped.get();
    }

    void stop() {
        for (BlockingQueue<Runnable> lane : lanes) {
            lane.clear();
            lane.offer(POISON);
        }
        for (Thread thread : threads) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void drain(BlockingQueue<Runnable> lane) {
        while (true) {
            Runnable task;
            try {
                task = lane.take();
            } catch (InterruptedException e) {
                return;
            }
            if (task == POISON) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("OPC-UA data change processing failed", e);
            }
        }
    }
}
