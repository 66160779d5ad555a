package io.factoryhub.hub.opcua;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.UaSession;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.sdk.client.subscriptions.MonitoredItemServiceOperationResult;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DeadbandType;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * Keeps one Milo client and one subscription with all configured monitored items alive.
 *
 * <p>All state changes run on one scheduler thread ({@link #tick}), so connect, re-create and stop
 * never race. Milo's own session state machine reconnects a lost session and tries to transfer the
 * subscription; when the server restarted that transfer fails ({@code onTransferFailed}), and the
 * next tick builds a fresh subscription - resolving {@code nsu=} ids against the new server's
 * namespace table. If the first connect fails, or a re-create fails, the tick retries with
 * exponential backoff and one WARN per attempt. While the session is down the tick probes the server every
 * second and replaces the client once the server answers but Milo still waits ({@link ReachabilityProbe}).
 * Session losses and recoveries go to {@link ConnectionGapEvents}.
 */
final class SubscriptionSupervisor {

    /** Receives each data change with the index of its node id in the configuration. */
    interface DataSink {
        void onDataChange(int nodeIndex, DataValue value);
    }

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionSupervisor.class);
    private static final long TICK_MILLIS = 250;
    private static final long PROBE_INTERVAL_MILLIS = 1_000;
    /** Head start of Milo's own reconnect once the server answers again (see {@link ReachabilityProbe}). */
    private static final Duration RECONNECT_GRACE = Duration.ofSeconds(4);
    /** Failed monitored items are listed one per line up to this many, then summarised. */
    private static final int MAX_ITEM_WARNINGS = 50;

    private final String id;
    private final OpcUaSubscriptionConfig config;
    private final DataSink sink;
    private final ConnectionGapEvents gaps;
    private final ReachabilityProbe probe;
    private final ScheduledExecutorService scheduler;

    // written only on the scheduler thread; Milo callbacks read it to ignore a replaced client
    private volatile OpcUaClient client;
    // touched only on the scheduler thread
    private OpcUaSubscription subscription;
    private int failedAttempts;
    private volatile long nextAttemptAt; // also reset by Milo callbacks to retry at once
    private volatile boolean stopped;

    // written by Milo callbacks, read by the tick and by health checks
    private volatile boolean sessionActive;
    private volatile boolean connected;
    private volatile boolean recreateRequested;

    SubscriptionSupervisor(String id, OpcUaSubscriptionConfig config, DataSink sink, ConnectionGapEvents gaps) {
        this.id = id;
        this.config = config;
        this.sink = sink;
        this.gaps = gaps;
        this.probe = new ReachabilityProbe(config.endpointUrl(), RECONNECT_GRACE);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "opcua-subscription-" + id);
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        OpcUaConnectionRegistry.set(id, false);
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
        OpcUaConnectionRegistry.remove(id);
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
            failedAttempts = 0;
        } catch (Exception e) {
            setConnected(false);
            if (client != null && !sessionActive) {
                // a connect failed: start over with a fresh client next time
                disconnectClient(false);
            }
            backoff("cannot subscribe to " + config.endpointUrl(), e);
        } catch (Throwable t) {
            // never let the scheduled task die silently: it is the only thing that reconnects
            LOG.error("[{}] unexpected error in OPC-UA supervisor", id, t);
        }
    }

    private void backoff(String what, Exception cause) {
        long delay = Math.min(config.reconnectMax().toMillis(),
                config.reconnectMin().toMillis() << Math.min(failedAttempts, 20));
        failedAttempts++;
        nextAttemptAt = System.currentTimeMillis() + delay;
        LOG.warn("[{}] {} (attempt {}: {}), next check in {} ms", id, what, failedAttempts, rootMessage(cause), delay);
    }

    private void connect() throws Exception {
        OpcUaClient created = OpcUaClient.create(config.endpointUrl(), this::selectEndpoint,
                transport -> { },
                builder -> {
                    builder.setApplicationName(LocalizedText.english("factory-hub opcua-subscription"))
                            .setApplicationUri("urn:factory-hub:hub:opcua-subscription")
                            .setProductUri("urn:factory-hub")
                            .setRequestTimeout(uint(30_000))
                            .setIdentityProvider(config.username() == null
                                    ? new AnonymousProvider()
                                    : new UsernameProvider(config.username(), config.password()));
                    clientCertificate().ifPresent(kc -> builder.setKeyPair(kc.keyPair())
                            .setCertificate(kc.certificate())
                            .setCertificateChain(new X509Certificate[] {kc.certificate()}));
                });
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
                    OpcUaConnectionRegistry.set(id, false);
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

    private Optional<EndpointDescription> selectEndpoint(List<EndpointDescription> endpoints) {
        String policyUri = SecurityPolicy.valueOf(config.securityPolicy()).getUri();
        return endpoints.stream()
                .filter(e -> policyUri.equals(e.getSecurityPolicyUri()))
                .filter(e -> SecurityPolicy.None.getUri().equals(policyUri)
                        || e.getSecurityMode() == MessageSecurityMode.SignAndEncrypt)
                .findFirst()
                // servers often advertise a host name the client cannot resolve: keep the configured one
                .map(e -> EndpointUtil.updateUrl(e, EndpointUtil.getHost(config.endpointUrl()),
                        EndpointUtil.getPort(config.endpointUrl())));
    }

    private record KeyAndCertificate(KeyPair keyPair, X509Certificate certificate) {
    }

    /** Secured policies need a client certificate; an ephemeral self-signed one the server must trust. */
    private Optional<KeyAndCertificate> clientCertificate() {
        if ("None".equals(config.securityPolicy())) {
            return Optional.empty();
        }
        try {
            KeyPair keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
            X509Certificate certificate = new SelfSignedCertificateBuilder(keyPair)
                    .setCommonName("factory-hub opcua-subscription")
                    .setApplicationUri("urn:factory-hub:hub:opcua-subscription")
                    .build();
            return Optional.of(new KeyAndCertificate(keyPair, certificate));
        } catch (Exception e) {
            throw new IllegalStateException("cannot create a client certificate", e);
        }
    }

    private void createSubscription() throws Exception {
        OpcUaSubscription previous = subscription;
        subscription = null;
        if (previous != null && previous.getServerState().isPresent()) {
            // still known to the server (e.g. re-create after a Bad status): do not leak it
            previous.deleteAsync();
        }
        NamespaceTable namespaces = client.readNamespaceTable();
        OpcUaSubscription created = new OpcUaSubscription(client, config.publishingInterval());
        created.setSubscriptionListener(new Listener());
        List<OpcUaMonitoredItem> items = new ArrayList<>(config.nodeIds().size());
        int unresolved = 0;
        for (int i = 0; i < config.nodeIds().size(); i++) {
            String configured = config.nodeIds().get(i);
            Optional<NodeId> nodeId = resolve(configured, namespaces);
            if (nodeId.isEmpty()) {
                if (unresolved++ < MAX_ITEM_WARNINGS) {
                    LOG.warn("[{}] node id {} cannot be resolved on {} (unknown namespace)", id, configured,
                            config.endpointUrl());
                }
                continue;
            }
            OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(nodeId.get());
            item.setSamplingInterval(config.samplingInterval());
            item.setQueueSize(uint(config.queueSize()));
            item.setDiscardOldest(true);
            if (config.absoluteDeadband() > 0) {
                item.setFilter(new DataChangeFilter(DataChangeTrigger.StatusValue,
                        uint(DeadbandType.Absolute.getValue()), config.absoluteDeadband()));
            }
            item.setUserObject(i);
            items.add(item);
        }
        created.create();
        subscription = created;
        created.addMonitoredItems(items);
        List<MonitoredItemServiceOperationResult> results;
        try {
            results = created.createMonitoredItems();
            for (MonitoredItemServiceOperationResult result : results) {
                if (!result.serviceResult().isGood()) {
                    throw new IllegalStateException("CreateMonitoredItems failed: " + result.serviceResult());
                }
            }
        } catch (RuntimeException e) {
            // the subscription exists but is incomplete: the next attempt must replace it, not keep it
            recreateRequested = true;
            throw e;
        }
        int failed = 0;
        for (MonitoredItemServiceOperationResult result : results) {
            StatusCode status = result.operationResult().orElse(StatusCode.GOOD);
            if (!status.isGood() && failed++ < MAX_ITEM_WARNINGS) {
                int index = (Integer) result.monitoredItem().getUserObject().orElseThrow();
                LOG.warn("[{}] server {} rejected node id {}: {}", id, config.endpointUrl(),
                        config.nodeIds().get(index), status);
            }
        }
        int good = results.size() - failed;
        if (failed + unresolved > 0) {
            LOG.warn("[{}] {} of {} node ids are not monitored ({} rejected by the server, {} unresolved)",
                    id, failed + unresolved, config.nodeIds().size(), failed, unresolved);
        }
        LOG.info("[{}] subscription {} on {}: {} monitored items (sampling {} ms, publishing {} ms, queue {} per item, "
                        + "revised by the server to {})", id,
                created.getSubscriptionId().map(Object::toString).orElse("?"), config.endpointUrl(), good,
                config.samplingInterval(), created.getRevisedPublishingInterval().orElse(null), config.queueSize(),
                items.isEmpty() ? null : items.get(0).getRevisedQueueSize().orElse(null));
    }

    private static Optional<NodeId> resolve(String configured, NamespaceTable namespaces) {
        try {
            return ExpandedNodeId.parse(configured).toNodeId(namespaces);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private void setConnected(boolean value) {
        connected = value;
        OpcUaConnectionRegistry.set(id, value);
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
                Object index = items.get(i).getUserObject().orElse(null);
                if (index instanceof Integer nodeIndex) {
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
