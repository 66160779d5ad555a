package io.factoryhub.app.support;

/** Free loopback ports, so tests never collide with a running ./factory-hub run; one JVM-wide allocator. */
public final class FreePorts {

    private static final io.factoryhub.app.bench.FreePorts PORTS = new io.factoryhub.app.bench.FreePorts();

    private FreePorts() {
    }

    public static int next() {
        return PORTS.next();
    }
}
