package io.factoryhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.factoryhub.app.support.HubUnderTest;
import io.factoryhub.app.support.ListeningSockets;
import io.factoryhub.app.support.RunningHub;
import io.factoryhub.app.support.TestPlant;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** /health and /metrics listen on 127.0.0.1 unless factory.http.host names another address. */
class HttpBindAddressTest {

    @RegisterExtension
    static final RunningHub HUB = new RunningHub(hub -> { });

    @Test
    void should_listen_on_loopback_only_by_default() throws Exception {
        int port = HUB.hub().httpPort();
        assertTrue(HUB.hub().http("/metrics").startsWith("200 "), "reachable on loopback");
        List<InetAddress> listening = ListeningSockets.on(port);
        System.out.println("port " + port + " listens on " + listening);
        assertFalse(listening.isEmpty(), "a listening socket on port " + port);
        assertTrue(listening.stream().allMatch(InetAddress::isLoopbackAddress), "only loopback: " + listening);
        for (InetAddress address : otherAddresses()) {
            assertThrows(IOException.class, () -> connect(address, port), "not reachable on " + address);
        }
    }

    @Test
    void should_listen_where_factory_http_host_says() throws Exception {
        List<InetAddress> others = otherAddresses();
        Assumptions.assumeFalse(others.isEmpty(), "this machine has no address but loopback");
        InetAddress address = others.get(0);
        try (HubUnderTest hub = new HubUnderTest(TestPlant.shared(), Map.of("factory.http.host", address.getHostAddress())).start()) {
            assertEquals(List.of(address), ListeningSockets.on(hub.httpPort()));
            connect(address, hub.httpPort());
        }
    }

    private static void connect(InetAddress address, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 1000);
        }
    }

    private static List<InetAddress> otherAddresses() throws SocketException {
        return NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .toList();
    }
}
