package io.factoryhub.hub.dashboard;

import io.factoryhub.hub.health.ReadinessCheck;
import java.util.Comparator;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;

/**
 * The hub's own checks (group {@value ReadinessCheck#GROUP}: Kafka, buffer, connectors, MQTT, OPC-UA, CDC, lake, ...)
 * as the page shows them. Results pass Camel's result strategy as for {@code /health} (HealthRedaction), so the page
 * tells no more than {@code /health} does.
 */
final class HealthStrip {

    private final CamelContext context;

    HealthStrip(CamelContext context) {
        this.context = context;
    }

    List<CheckState> read() {
        return HealthCheckRegistry.get(context).stream()
                .filter(check -> ReadinessCheck.GROUP.equals(check.getGroup()))
                .map(HealthStrip::call)
                .sorted(Comparator.comparing(CheckState::id))
                .toList();
    }

    private static CheckState call(HealthCheck check) {
        HealthCheck.Result result = check.call();
        return new CheckState(check.getId(), result.getState().name(), result.getMessage().orElse(null));
    }
}
