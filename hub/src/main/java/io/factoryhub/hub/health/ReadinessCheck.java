package io.factoryhub.hub.health;

import org.apache.camel.impl.health.AbstractHealthCheck;

/** A factory-hub check of readiness (group {@code factory}): while it is down the hub takes no new work it can keep. */
abstract class ReadinessCheck extends AbstractHealthCheck {

    ReadinessCheck(String id) {
        super("factory", id);
    }

    @Override
    public final boolean isLiveness() {
        return false;
    }
}
