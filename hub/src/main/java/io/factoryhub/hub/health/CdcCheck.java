package io.factoryhub.hub.health;

import io.factoryhub.hub.cdc.CdcEngine;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Ready when MES change data capture streams; down with the reason (what to change) when it stopped. */
public final class CdcCheck extends AbstractHealthCheck {

    private final CdcEngine cdc;

    public CdcCheck(CdcEngine cdc) {
        super("factory", "mes-cdc");
        this.cdc = cdc;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("state", cdc.state().name());
        builder.detail("change_events", cdc.written());
        if (cdc.state() == CdcEngine.State.RUNNING) {
            builder.up();
        } else {
            builder.message(cdc.failure().orElse("MES CDC is " + cdc.state().name().toLowerCase()));
            builder.down();
        }
    }
}
