package io.factoryhub.app.support;

import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One hub per test class on the shared test plant:
 * {@code @RegisterExtension static final RunningHub HUB = new RunningHub(hub -> hub.withRepoConnector("x.pipe.yaml"));}
 */
public final class RunningHub implements BeforeAllCallback, AfterAllCallback {

    /** Prepares the hub's folders (connectors, kamelets) before it starts. */
    @FunctionalInterface
    public interface Setup {
        void prepare(HubUnderTest hub) throws Exception;
    }

    private final Map<String, String> overrides;
    private final Setup setup;
    private HubUnderTest hub;

    public RunningHub(Setup setup) {
        this(Map.of(), setup);
    }

    /** With some configuration keys set (e.g. the dashboard switched on). */
    public RunningHub(Map<String, String> overrides, Setup setup) {
        this.overrides = overrides;
        this.setup = setup;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        hub = new HubUnderTest(TestPlant.shared(), overrides);
        setup.prepare(hub);
        hub.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        hub.close();
    }

    public HubUnderTest hub() {
        return hub;
    }

    public TestPlant plant() {
        return TestPlant.shared();
    }
}
