package io.factoryhub.hub.support;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands machine events ({@code {"type":..,"machineId":..}}, keyed by machine id) to the hub's flow for
 * {@code factory.machine.events}, {@value #ENDPOINT} ({@code routes/machine-events.camel.yaml}), which decides how
 * they reach Kafka.
 *
 * <p>Always on a thread of its own: connectors raise events from a client library's callback or a supervisor's
 * tick, and neither may wait for Kafka. Events are sent one at a time, in the order they were raised; one that
 * cannot be sent (the flow failed, too many pending, the sender closed) is logged with its body, never thrown.
 */
public final class MachineEventSender implements AutoCloseable {

    public static final String ENDPOINT = "direct:factory-machine-events";
    /** One event per machine of a 20,000-node connector fits; a bound so a stuck flow cannot eat the heap. */
    private static final int MAX_PENDING = 100_000;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(MachineEventSender.class);

    private final String name;
    private final ProducerTemplate template;
    private final ThreadPoolExecutor executor;
    private final AtomicLong rejected = new AtomicLong();

    /** @param name who raises the events (a connector), for the thread name and log lines */
    public MachineEventSender(CamelContext context, String name) {
        this.name = name;
        this.template = context.createProducerTemplate();
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(MAX_PENDING),
                runnable -> {
                    Thread thread = new Thread(runnable, "machine-events-" + name);
                    thread.setDaemon(true);
                    return thread;
                },
                (task, pool) -> {
                    if (rejected.incrementAndGet() % 1000 == 1) { // the first, then one line per thousand
                        LOG.warn("[{}] {} machine events dropped so far: {} pending or sender closed", name, rejected.get(), MAX_PENDING);
                    }
                });
    }

    /** Queues the event and returns at once. */
    public void send(String machineId, String json) {
        executor.execute(() -> deliver(machineId, json));
    }

    private void deliver(String machineId, String json) {
        try {
            Exchange result = template.send(ENDPOINT, exchange -> {
                exchange.getMessage().setBody(json);
                exchange.getMessage().setHeader(KafkaConstants.KEY, machineId);
            });
            if (result.getException() != null) {
                LOG.warn("[{}] machine event not sent ({}): {}", name, result.getException().toString(), json);
            }
        } catch (RuntimeException e) {
            LOG.warn("[{}] machine event not sent ({}): {}", name, e.toString(), json);
        }
    }

    /** Sends what is pending for up to five seconds, then drops the rest (logged) and stops. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                int dropped = executor.shutdownNow().size();
                LOG.warn("[{}] {} machine events not sent within {} s of stopping", name, dropped, CLOSE_TIMEOUT.toSeconds());
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        try {
            template.stop();
        } catch (RuntimeException e) {
            LOG.debug("[{}] producer template did not stop cleanly: {}", name, e.toString());
        }
    }
}
