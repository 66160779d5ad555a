package io.factoryhub.plant.sim;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes a reading for every tag of every machine every {@code intervalMs}, each to the sink of
 * the machine's transport. Load scales with the machine list (e.g. {@link SimulatedMachine#defaultPlant}
 * with more machines per line) and the interval.
 *
 * <p>One scheduler thread publishes a whole round; a failed publish is logged (at most every
 * {@value #FAILURE_LOG_INTERVAL_MS} ms) and the round goes on, so a broker restart only costs readings.
 */
public final class MachineSimulator implements AutoCloseable {

    public static final long DEFAULT_INTERVAL_MS = 5000;
    public static final double DEFAULT_SPIKE_PROBABILITY = SignalParameters.standard().spike().probability();
    public static final double DEFAULT_SPIKE_FACTOR = SignalParameters.standard().spike().factor();

    private static final Logger LOG = LoggerFactory.getLogger(MachineSimulator.class);
    private static final long FAILURE_LOG_INTERVAL_MS = 10_000;

    private final Map<SimulatedMachine.Transport, ReadingSink> sinks;
    private final long intervalMs;
    private final Clock clock;
    private final SplittableRandom random;
    private final List<Source> sources = new ArrayList<>();
    private final ScheduledExecutorService scheduler;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private long lastFailureLogMs;
    private long failuresSinceLog;

    /** Default interval (5 s), the signal of {@link SignalParameters#standard()}, system clock. */
    public MachineSimulator(List<SimulatedMachine> machines, Map<SimulatedMachine.Transport, ReadingSink> sinks) {
        this(machines, sinks, DEFAULT_INTERVAL_MS, DEFAULT_SPIKE_PROBABILITY, DEFAULT_SPIKE_FACTOR,
                Clock.systemUTC(), new SplittableRandom());
    }

    /**
     * @param machines         the machines to simulate
     * @param sinks            one sink per transport; machines whose transport has none are skipped
     * @param intervalMs       time between two readings of one tag
     * @param spikeProbability chance per reading of an injected spike (overrides the standard signal's)
     * @param spikeFactor      spike value = current value x this factor (overrides the standard signal's)
     * @param clock            source of the readings' timestamps
     * @param random           the randomness (seed it for reproducible runs)
     */
    public MachineSimulator(List<SimulatedMachine> machines, Map<SimulatedMachine.Transport, ReadingSink> sinks,
                            long intervalMs, double spikeProbability, double spikeFactor,
                            Clock clock, SplittableRandom random) {
        if (intervalMs <= 0) {
            throw new IllegalArgumentException("intervalMs must be > 0");
        }
        this.sinks = new LinkedHashMap<>(sinks);
        this.intervalMs = intervalMs;
        this.clock = clock;
        this.random = random;
        SignalParameters signal = SignalParameters.standard()
                .withSpike(new SignalParameters.Spike(spikeProbability, spikeFactor));
        Set<SimulatedMachine.Transport> unserved = EnumSet.noneOf(SimulatedMachine.Transport.class);
        for (SimulatedMachine machine : machines) {
            ReadingSink sink = sinks.get(machine.transport());
            if (sink == null) {
                unserved.add(machine.transport());
                continue;
            }
            for (SimulatedMachine.Tag tag : SimulatedMachine.Tag.values()) {
                sources.add(new Source(machine, tag, sink, TagSignal.of(signal, tag)));
            }
        }
        if (!unserved.isEmpty()) {
            LOG.warn("No sink for transport(s) {}: those machines are not simulated", unserved);
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "machine-simulator");
            t.setDaemon(true); // never the reason a JVM stays up
            return t;
        });
    }

    /** Starts publishing: the first round now, then every interval (a slow round delays the next). */
    public void start() {
        LOG.info("Simulating {} tag(s) every {} ms ({} readings/s)", sources.size(), intervalMs,
                String.format("%.1f", sources.size() * 1000.0 / intervalMs));
        scheduler.scheduleAtFixedRate(this::round, 0, intervalMs, TimeUnit.MILLISECONDS);
    }

    /** Readings handed to a sink without error so far. */
    public long published() {
        return published.get();
    }

    /** Readings whose publish threw so far. */
    public long failed() {
        return failed.get();
    }

    /** Stops scheduling, waits for the running round, then closes every sink (disconnecting them). */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(15, TimeUnit.SECONDS)) {
                LOG.warn("Simulator round still running after 15 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ReadingSink sink : sinks.values()) {
            try {
                sink.close();
            } catch (Exception e) {
                LOG.warn("Closing sink {} failed", sink, e);
            }
        }
    }

    private void round() {
        for (Source source : sources) {
            if (Thread.currentThread().isInterrupted()) {
                return; // closing
            }
            double value = source.signal.next(random).value();
            Instant now = clock.instant();
            try {
                source.sink.publish(source.machine, source.tag, value, now);
                published.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                failed.incrementAndGet();
                logFailure(source, e);
            }
        }
    }

    /** Only the scheduler thread calls this, so plain fields suffice. */
    private void logFailure(Source source, Exception e) {
        failuresSinceLog++;
        long nowMs = System.currentTimeMillis();
        if (nowMs - lastFailureLogMs >= FAILURE_LOG_INTERVAL_MS) {
            LOG.warn("Publishing {} failed ({} failure(s) since last report): {}",
                    source.machine.nodePath(source.tag), failuresSinceLog, e.toString());
            lastFailureLogMs = nowMs;
            failuresSinceLog = 0;
        }
    }

    private record Source(SimulatedMachine machine, SimulatedMachine.Tag tag, ReadingSink sink, TagSignal signal) {
    }
}
