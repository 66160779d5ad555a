package io.factoryhub.hub.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.factoryhub.hub.support.Backoff;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.UaSession;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one Milo client and one subscription with all configured monitored items alive: the reconnect state machine.
 * Who the client is ({@link ClientIdentity}), which endpoint it opens ({@link EndpointSelector}) and what it
 * monitors ({@link MonitoredItems}) are their own classes.
 *
 * <p>All state changes run on one scheduler thread ({@link #tick}), so connect, re-create and stop
 * never race. Milo's own session state machine reconnects a lost session and tries to transfer the
 * subscription; when the server restarted that transfer fails ({@code onTransferFailed}), and the
 * next tick builds a fresh subscription - resolving {@code nsu=} ids against the new server's
 * namespace table. If the first connect fails, or a re-create fails, the tick retries with
 * exponential backoff and one WARN per attempt. While the session is down the tick probes the server every
 * second and replaces the client once the server answers but Milo still waits ({@link ReachabilityProbe}).
 * Session losses and recoveries go to {@link ConnectionGapEvents}, the connection state to the context's
 * {@link OpcUaConnections}.
 */
final class SubscriptionSupervisor {

    /** Receives each data change with the index of its node id in the configuration. */
    interface DataSink {
        void onDataChange(int nodeIndex, DataValue value);
    }

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionSupervisor.class);
    private static final long TICK_MILLIS = 250;
    private static final long PROBE_INTERVAL_MILLIS = 1_000;
    private static final long REQUEST_TIMEOUT_MILLIS = 30_000;
    /** Head start of Milo's own reconnect once the server answers again (see {@link ReachabilityProbe}). */
    private static final Duration RECONNECT_GRACE = Duration.ofSeconds(4);

    private final String id;
    private final OpcUaSubscriptionConfig config;
    private final DataSink sink;
    private final ConnectionGapEvents gaps;
    private final OpcUaConnections connections;
    private final ClientIdentity identity;
    private final EndpointSelector endpoints;
    private final MonitoredItems monitoredItems;
    private final ReachabilityProbe probe;
    private final ScheduledExecutorService scheduler;

    // written only on the scheduler thread; Milo callbacks read it to ignore a replaced client
    private volatile OpcUaClient client;
    // touched only on the scheduler thread
    private OpcUaSubscription subscription;
    private final Backoff backoff;
    private volatile long nextAttemptAt; // also reset by Milo callbacks to retry at once
    private volatile boolean stopped;

    // written by Milo callbacks, read by the tick and by health checks
    private volatile boolean sessionActive;
    private volatile boolean connected;
    private volatile boolean recreateRequested;

    SubscriptionSupervisor(String id, OpcUaSubscriptionConfig config, DataSink sink, ConnectionGapEvents gaps,
                           OpcUaConnections connections) {
        this.id = id;
        this.config = config;
        this.sink = sink;
        this.gaps = gaps;
        this.connections = connections;
        this.identity = new ClientIdentity(config.username(), config.password(), config.securityPolicy());
        this.endpoints = new EndpointSelector(config.endpointUrl(), config.securityPolicy());
        this.monitoredItems = new MonitoredItems(id, config);
        this.backoff = new Backoff(config.reconnectMin().toMillis(), config.reconnectMax().toMillis());
        this.probe = new ReachabilityProbe(config.endpointUrl(), RECONNECT_GRACE);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "opcua-subscription-" + id);
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        connections.set(id, false);
        scheduler.scheduleWithFixedDelay(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    boolean isConnected() {
        return connected;
    }

    /** Server-side id of the current subscription, -1 if none; changes when it had to be re-created. */
    long subscriptionId() {
        OpcUaSubscription current = subscription;
        return current == null ? -1 : current.getSubscriptionId().map(Number::longValue).orElse(-1L);
    }

    void stop() {
        try {
            scheduler.submit(() -> {
                stopped = true;
                disconnectClient(true);
            }).get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("[{}] OPC-UA client did not stop cleanly: {}", id, e.toString());
        }
        scheduler.shutdownNow();
        connections.remove(id);
    }

    private void tick() {
        if (stopped || System.currentTimeMillis() < nextAttemptAt) {
            return;
        }
        try {
            if (client == null) {
                connect();
            }
            if (!sessionActive) {
                setConnected(false);
                if (!probe.answeredForGrace(Instant.now())) {
                    // Milo's session state machine is reconnecting on its own; we watch for the server
                    nextAttemptAt = System.currentTimeMillis() + PROBE_INTERVAL_MILLIS;
                    return;
                }
                LOG.info("[{}] {} answers again for {} s but Milo is still waiting to reconnect: starting a new client",
                        id, config.endpointUrl(), RECONNECT_GRACE.toSeconds());
                disconnectClient(false);
                connect();
            }
            probe.reset();
            if (subscription == null || subscription.getServerState().isEmpty() || recreateRequested) {
                recreateRequested = false;
                createSubscription();
            }
            setConnected(true);
            gaps.valuesFlowing();
            backoff.succeeded();
        } catch (Exception e) {
            setConnected(false);
            if (client != null && !sessionActive) {
                // a connect failed: start over with a fresh client next time
                disconnectClient(false);
            }
            retryLater("cannot subscribe to " + config.endpointUrl(), e);
        } catch (Throwable t) {
            // never let the scheduled task die silently: it is the only thing that reconnects
            LOG.error("[{}] unexpected error in OPC-UA supervisor", id, t);
        }
    }

    private void retryLater(String what, Exception cause) {
        long now = System.currentTimeMillis();
        backoff.failed(now);
        long delay = backoff.waitMs(now);
        nextAttemptAt = now + delay;
        LOG.warn("[{}] {} (attempt {}: {}), next check in {} ms", id, what, backoff.failures(), rootMessage(cause), delay);
    }

    private void connect() throws Exception {
        OpcUaClient created = OpcUaClient.create(config.endpointUrl(), endpoints::select, transport -> { },
                builder -> identity.applyTo(builder.setRequestTimeout(uint(REQUEST_TIMEOUT_MILLIS))));
        created.addSessionActivityListener(new SessionActivityListener() {
            @Override
            public void onSessionActive(UaSession session) {
                if (client != created) {
                    return; // a client the supervisor replaced
                }
                sessionActive = true;
                LOG.info("[{}] OPC-UA session to {} active", id, config.endpointUrl());
                nextAttemptAt = 0;
            }

            @Override
            public void onSessionInactive(UaSession session) {
                if (client != created) {
                    return;
                }
                sessionActive = false;
                connected = false;
                if (!stopped) { // our own disconnect on stop is not news
                    connections.set(id, false);
                    LOG.warn("[{}] OPC-UA session to {} lost", id, config.endpointUrl());
                    gaps.sessionLost();
                }
            }
        });
        client = created;
        created.connect();
        sessionActive = true;
        LOG.info("[{}] connected to {}", id, config.endpointUrl());
    }

    private void createSubscription() throws Exception {
        OpcUaSubscription previous = subscription;
        subscription = null;
        if (previous != null && previous.getServerState().isPresent()) {
            // still known to the server (e.g. re-create after a Bad status): do not leak it
            previous.deleteAsync();
        }
        MonitoredItems.Resolved items = monitoredItems.resolve(client.readNamespaceTable());
        OpcUaSubscription created = new OpcUaSubscription(client, config.publishingInterval());
        created.setSubscriptionListener(new Listener());
        created.create();
        subscription = created;
        try {
            monitoredItems.createOn(created, items);
        } catch (RuntimeException e) {
            // the subscription exists but is incomplete: the next attempt must replace it, not keep it
            recreateRequested = true;
            throw e;
        }
    }

    private void setConnected(boolean value) {
        connected = value;
        connections.set(id, value);
    }

    /**
     * Drops the client. Waits for its disconnect (up to 5 s) only on stop: a client in Milo's reconnect back-off
     * takes that long to let go, and a replacement must not wait for it.
     */
    private void disconnectClient(boolean wait) {
        setConnected(false);
        OpcUaClient old = client;
        client = null;
        subscription = null;
        sessionActive = false;
        if (old == null) {
            return;
        }
        CompletableFuture<?> disconnected = old.disconnectAsync().whenComplete((c, e) -> {
            if (e != null) {
                LOG.debug("[{}] disconnect failed: {}", id, e.toString());
            }
        });
        if (wait) {
            try {
                disconnected.get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("[{}] disconnect did not finish: {}", id, e.toString());
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.toString() : e.getClass().getSimpleName() + " / " + root;
    }

    /** Runs on Milo's per-subscription delivery queue: hand off quickly, never process here. */
    private final class Listener implements OpcUaSubscription.SubscriptionListener {
        @Override
        public void onDataReceived(OpcUaSubscription sub, List<OpcUaMonitoredItem> items, List<DataValue> values) {
            for (int i = 0; i < items.size(); i++) {
                Integer nodeIndex = MonitoredItems.nodeIndex(items.get(i));
                if (nodeIndex != null) {
                    sink.onDataChange(nodeIndex, values.get(i));
                }
            }
        }

        @Override
        public void onTransferFailed(OpcUaSubscription sub, StatusCode status) {
            LOG.warn("[{}] subscription was not transferred to the new session ({}), re-creating it", id, status);
            recreateRequested = true;
            nextAttemptAt = 0;
        }

        @Override
        public void onNotificationDataLost(OpcUaSubscription sub) {
            LOG.warn("[{}] OPC-UA notifications were lost (sequence gap)", id);
        }

        @Override
        public void onStatusChanged(OpcUaSubscription sub, StatusCode status) {
            LOG.warn("[{}] subscription status changed: {}", id, status);
            if (status.isBad()) {
                recreateRequested = true;
            }
        }
    }
}
