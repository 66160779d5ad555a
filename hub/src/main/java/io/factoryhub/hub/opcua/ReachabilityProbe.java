package io.factoryhub.hub.opcua;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;

import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;

/**
 * Tells whether the OPC-UA server has been answering again (TCP connect to its endpoint) for a grace period while
 * the session is still down.
 *
 * <p>Why: Milo 1.0 backs off up to 16 s between reconnect attempts (its channel and session state machines, not
 * configurable), so after a 15 s outage values could stay away another 16 s. The supervisor starts a fresh client
 * once the server has answered for the grace period; Milo's own reconnect is quicker after a short network drop,
 * and only it keeps the server-side subscription (and the values queued in it), so it gets that head start.
 * Used on the supervisor's thread only.
 */
final class ReachabilityProbe {

    private static final int CONNECT_TIMEOUT_MILLIS = 1_000;

    private final String host;
    private final int port;
    private final Duration grace;
    private Instant answeringSince;

    ReachabilityProbe(String endpointUrl, Duration grace) {
        this.host = EndpointUtil.getHost(endpointUrl);
        this.port = EndpointUtil.getPort(endpointUrl);
        this.grace = grace;
    }

    /** Probes once; true when every probe since at least {@code grace} ago was answered. */
    boolean answeredForGrace(Instant now) {
        if (!answers()) {
            answeringSince = null;
            return false;
        }
        if (answeringSince == null) {
            answeringSince = now;
        }
        return !now.isBefore(answeringSince.plus(grace));
    }

    void reset() {
        answeringSince = null;
    }

    private boolean answers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
