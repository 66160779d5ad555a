package io.factoryhub.hub.health;

import io.factoryhub.hub.cdc.CdcEngine;
import io.factoryhub.hub.cdc.KafkaOutage;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Ready when MES change data capture streams; down with the reason (what to change) when it stopped, and down
 * while Kafka does not take its changes (they wait in PostgreSQL's slot and the batch in flight is retried).
 */
public final class CdcCheck extends ReadinessCheck {

    private final CdcEngine cdc;

    public CdcCheck(CdcEngine cdc) {
        super("mes-cdc");
        this.cdc = cdc;
    }


    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Optional<KafkaOutage> outage = cdc.kafkaOutage();
        CdcEngine.State state = cdc.state();
        builder.detail("state", state.name());
        builder.detail("change_events", cdc.written());
        if (state == CdcEngine.State.RUNNING || state == CdcEngine.State.RETRYING) {
            if (outage.isPresent()) {
                builder.detail("kafka_retries", outage.get().retries());
                builder.message("Kafka unreachable, retrying: " + outage.get().error());
                builder.down();
            } else {
                builder.up();
            }
        } else {
            builder.message(cdc.failure().orElse("MES CDC is " + state.name().toLowerCase()));
            builder.down();
        }
    }
}
