package io.factoryhub.hub.health;

import org.apache.camel.impl.health.AbstractHealthCheck;

/** A factory-hub check of readiness (group {@code factory}): while it is down the hub takes no new work it can keep. */
public abstract class ReadinessCheck extends AbstractHealthCheck {

    /** The group of every factory-hub check; Camel's own (routes, consumers) are in {@code camel}. */
    public static final String GROUP = "factory";

    ReadinessCheck(String id) {
        super(GROUP, id);
    }

    @Override
    public final boolean isLiveness() {
        return false;
    }
}
