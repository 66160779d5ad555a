package io.factoryhub.hub.opcua;

import io.factoryhub.hub.opcua.OpcUaMetrics.DropReason;
import io.factoryhub.hub.support.MachineEventSender;
import io.factoryhub.hub.support.OrderedLanes;

import java.time.Clock;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;

/**
 * Emits one exchange per OPC-UA data change: body = the value as received, headers describe where it
 * came from and how good it is (see {@link OpcUaHeaders}). Gaps are visible: a lost session raises
 * {@code connection-lost} per machine at once and {@code connection-restored} with the gap when values flow again
 * ({@link ConnectionGapEvents}); server-side queue overflows and values the hub drops are counted ({@link OpcUaMetrics}).
 */
public class OpcUaSubscriptionConsumer extends DefaultConsumer {

    private final OpcUaSubscriptionConfig config;
    /** Tag (last node-path segment) per configured node id, computed once, not per value. */
    private final List<String> tags;
    private SubscriptionSupervisor supervisor;
    private OrderedLanes dispatcher;
    private MachineEventSender events;
    /** Read by Camel's completion callbacks (any thread), so volatile. */
    private volatile OpcUaMetrics metrics;
    /** Data changes handed to the route and not finished yet; bounds memory when Kafka is slow. */
    private final java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(20_000);

    public OpcUaSubscriptionConsumer(OpcUaSubscriptionEndpoint endpoint, Processor processor,
                                     OpcUaSubscriptionConfig config) {
        super(endpoint, processor);
        this.config = config;
        this.tags = config.nodeIds().stream().map(OpcUaSubscriptionConsumer::tagOf).toList();
    }

    @Override
    public OpcUaSubscriptionEndpoint getEndpoint() {
        return (OpcUaSubscriptionEndpoint) super.getEndpoint();
    }

    /** True while the session is active and the subscription exists on the server. */
    public boolean isConnected() {
        SubscriptionSupervisor current = supervisor;
        return current != null && current.isConnected();
    }

    /** Server-side subscription id, -1 if none; a new id means the subscription was re-created. */
    public long subscriptionId() {
        SubscriptionSupervisor current = supervisor;
        return current == null ? -1 : current.subscriptionId();
    }

    /** Data changes dropped because the route did not keep up (see {@link OrderedLanes}). */
    public long droppedCount() {
        OrderedLanes current = dispatcher;
        return current == null ? 0 : current.droppedCount();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        CamelContext context = getEndpoint().getCamelContext();
        String id = context.getName() + "/" + getRouteId() + "@" + config.endpointUrl();
        String connector = connectorName(config.connector(), getRouteId());
        OpcUaMetrics counters = OpcUaMetrics.register(context, connector);
        metrics = counters;
        events = new MachineEventSender(context, connector);
        ConnectionGapEvents gaps = new ConnectionGapEvents(connector, config.endpointUrl(), config.nodeIds(),
                events::send, Clock.systemUTC());
        OrderedLanes lanes = new OrderedLanes("opcua-" + getRouteId(), config.workers(), config.laneCapacity(), 5_000);
        dispatcher = lanes;
        // the lanes and counters of this start, not the fields: a notification racing with doStop must not see null
        supervisor = new SubscriptionSupervisor(id, config, (index, value) -> {
            if (value.getStatusCode() != null && value.getStatusCode().isOverflowSet()) {
                counters.overflow();
            }
            if (!lanes.submit(index, () -> emit(index, value))) {
                counters.dropped(DropReason.LANE_FULL, 1);
            }
        }, gaps, getEndpoint().getComponent().connections());
        supervisor.start();
    }

    @Override
    protected void doStop() throws Exception {
        if (supervisor != null) {
            supervisor.stop();
            supervisor = null;
        }
        if (dispatcher != null) {
            metrics.dropped(DropReason.STOPPED, dispatcher.stop());
            dispatcher = null;
        }
        if (events != null) {
            events.close();
            events = null;
        }
        super.doStop();
    }

    /** The configured name, else the route's: a Pipe's route is named after the Pipe. */
    static String connectorName(String configured, String routeId) {
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return routeId;
    }

    /**
     * Hands one data change to the route without waiting for it to finish: waiting for each Kafka acknowledgement
     * in turn capped a lane at a few hundred items/s. Order per node is kept (a node always uses the same lane,
     * and the route reaches the Kafka producer synchronously); {@link #inFlight} bounds what is unfinished.
     */
    private void emit(int index, DataValue value) {
        Exchange exchange = createExchange(false);
        try {
            Message in = exchange.getIn();
            in.setBody(value.getValue().getValue());
            StatusCode status = value.getStatusCode() == null ? StatusCode.GOOD : value.getStatusCode();
            DateTime time = isSet(value.getSourceTime()) ? value.getSourceTime() : value.getServerTime();
            in.setHeader(OpcUaHeaders.NODE_ID, config.nodeIds().get(index));
            in.setHeader(OpcUaHeaders.BROWSE_NAME, tags.get(index));
            in.setHeader(OpcUaHeaders.SOURCE_TIME, isSet(time) ? time.getJavaInstant().toString() : null);
            in.setHeader(OpcUaHeaders.STATUS_CODE, status.getValue());
            in.setHeader(OpcUaHeaders.QUALITY, OpcUaQuality.of(status).name());
            in.setHeader(OpcUaHeaders.ENDPOINT, config.endpointUrl());
            inFlight.acquireUninterruptibly();
        } catch (RuntimeException e) {
            exchange.setException(e);
            finish(exchange, false);
            return;
        }
        getAsyncProcessor().process(exchange, doneSync -> finish(exchange, true));
    }

    private void finish(Exchange exchange, boolean acquired) {
        if (exchange.getException() != null) {
            metrics.dropped(DropReason.EXCHANGE_FAILED, 1);
            getExceptionHandler().handleException("Error processing OPC-UA data change", exchange, exchange.getException());
        }
        releaseExchange(exchange, false);
        if (acquired) {
            inFlight.release();
        }
    }

    private static boolean isSet(DateTime time) {
        return time != null && time.isValid() && !time.isNull();
    }

    /** {@code ns=2;s=plant-a/line-3/lathe-05/vibration} gives {@code vibration}; numeric ids give the number. */
    static String tagOf(String nodeId) {
        int identifier = Math.max(nodeId.lastIndexOf(";s="), Math.max(nodeId.lastIndexOf(";i="),
                Math.max(nodeId.lastIndexOf(";g="), nodeId.lastIndexOf(";b="))));
        String id = identifier < 0 ? nodeId : nodeId.substring(identifier + 3);
        if (identifier < 0 && id.length() > 2 && id.charAt(1) == '=') {
            id = id.substring(2); // "s=Foo" without a namespace part
        }
        int slash = id.lastIndexOf('/');
        return slash < 0 ? id : id.substring(slash + 1);
    }
}
