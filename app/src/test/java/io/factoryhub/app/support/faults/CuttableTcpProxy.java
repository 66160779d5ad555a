package io.factoryhub.app.support.faults;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback TCP proxy in front of one port, whose link the test can cut and restore like a dropped network.
 *
 * <p>{@link #cut()} models {@code iptables -j DROP}: nothing passes, and nobody is told. Open connections stay open
 * and stop passing bytes (no RST, no FIN); new connections are accepted and then get nothing either. The clients
 * see only their own timeouts, as with DROP. Refusing new connections instead would be {@code -j REJECT}: an
 * immediate error that clients recover from faster than from silence. A user-space proxy cannot withhold the
 * handshake of a listening socket (the kernel answers it), so under the cut a connect succeeds where DROP would
 * leave it pending: the client then times out its first request rather than its connect, silence either way.
 * {@link #restore()} lets everything flow again, the bytes held during the cut included, as TCP retransmits them
 * once the rule is gone.
 */
public final class CuttableTcpProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CuttableTcpProxy.class);

    private final ServerSocket listener;
    private final int targetPort;
    private final Link link = new Link();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    /** Listens on a free loopback port and forwards to {@code targetPort} on loopback. */
    public CuttableTcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon("proxy-accept-" + port(), this::accept).start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    public void cut() {
        link.set(Link.State.CUT);
        LOG.info("proxy {} -> {}: cut ({} sockets held)", port(), targetPort, open.size());
    }

    public void restore() {
        link.set(Link.State.UP);
        LOG.info("proxy {} -> {}: restored", port(), targetPort);
    }

    @Override
    public void close() {
        link.set(Link.State.CLOSED);
        closeQuietly(listener);
        open.forEach(CuttableTcpProxy::closeQuietly);
        open.clear();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                open.add(client);
                daemon("proxy-connect-" + port(), () -> connect(client)).start();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Reaches the target only when the link is up: under a cut the connection never gets there. */
    private void connect(Socket client) {
        try {
            if (!link.awaitUp()) {
                closeQuietly(client);
                return;
            }
            Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            open.add(target);
            client.setTcpNoDelay(true);
            target.setTcpNoDelay(true);
            daemon("proxy-pump-" + port(), () -> pump(client, target)).start();
            daemon("proxy-pump-" + port(), () -> pump(target, client)).start();
        } catch (IOException e) {
            closeQuietly(client);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(client);
        }
    }

    /** Copies until either side closes; what was read during a cut waits for the link, as does an end of stream. */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            while (link.awaitUp()) {
                int n = in.read(buffer);
                if (!link.awaitUp() || n < 0) {
                    return;
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // the other side or close() ended it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** The link's state, which the copying threads wait on. */
    private static final class Link {
        enum State { UP, CUT, CLOSED }

        private State state = State.UP;

        synchronized void set(State next) {
            if (state != State.CLOSED) {
                state = next;
                notifyAll();
            }
        }

        /** Waits while cut; true when up, false once the proxy is closed. */
        synchronized boolean awaitUp() throws InterruptedException {
            while (state == State.CUT) {
                wait();
            }
            return state == State.UP;
        }
    }
}
