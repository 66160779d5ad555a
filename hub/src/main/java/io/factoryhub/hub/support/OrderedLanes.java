package io.factoryhub.hub.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves work off a client library's delivery thread (Milo's notifications, Paho's callback) onto a few lanes.
 *
 * <p>A key always maps to the same lane and each lane has one thread, so the work of one key (an OPC-UA node, an
 * MQTT topic) runs in arrival order while different keys run in parallel. Lanes are bounded: when the route is
 * slower than the source, {@link #submit} waits (backpressure on the delivery thread) up to {@code maxWaitMillis}
 * — then drops the task and counts it — or for ever when {@code maxWaitMillis} is negative, for sources that must
 * never drop (the broker redelivers what was not acknowledged, but only in the next session).
 */
public final class OrderedLanes {

    private static final Logger LOG = LoggerFactory.getLogger(OrderedLanes.class);
    private static final Runnable POISON = () -> { };

    private final String name;
    private final List<BlockingQueue<Runnable>> lanes = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final long maxWaitMillis;
    private final AtomicLong dropped = new AtomicLong();
    private volatile long lastDropLog;

    public OrderedLanes(String name, int workers, int laneCapacity, long maxWaitMillis) {
        this.name = name;
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

    /** @return false when the task was dropped (and counted) */
    public boolean submit(int key, Runnable task) {
        BlockingQueue<Runnable> lane = lanes.get(Math.floorMod(key, lanes.size()));
        try {
            if (maxWaitMillis < 0) {
                lane.put(task);
                return true;
            }
            if (lane.offer(task, maxWaitMillis, TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long total = dropped.incrementAndGet();
        long now = System.currentTimeMillis();
        if (now - lastDropLog > 10_000) { // one line per 10 s, not one per dropped task
            lastDropLog = now;
            LOG.warn("{}: work dropped because the route is not keeping up: {} so far", name, total);
        }
        return false;
    }

    public long droppedCount() {
        return dropped.get();
    }

    /**
     * Discards queued work, lets each lane finish the task it runs, and stops the threads.
     *
     * @return how many queued tasks were discarded
     */
    public int stop() {
        List<Runnable> discarded = new ArrayList<>();
        for (BlockingQueue<Runnable> lane : lanes) {
            lane.drainTo(discarded);
            lane.offer(POISON);
        }
        for (Thread thread : threads) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return discarded.size();
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
                LOG.warn("{}: processing failed", name, e);
            }
        }
    }
}
