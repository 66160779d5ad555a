package io.factoryhub.hub.health;

import io.factoryhub.hub.lake.LakeWriter;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Ready while the lake writer stores what it reads; down while uploads fail (S3 unreachable or rejecting: the
 * affected partitions are paused and retried, nothing is lost) or when the writer stopped.
 */
public final class LakeCheck extends AbstractHealthCheck {

    private final LakeWriter lake;

    public LakeCheck(LakeWriter lake) {
        super("factory", "data-lake");
        this.lake = lake;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("records", lake.records());
        builder.detail("objects", lake.objects());
        builder.detail("pending_uploads", lake.pendingUploads());
        if (lake.failure().isPresent()) {
            builder.message(lake.failure().get());
            builder.down();
        } else if (lake.pendingUploads() > 0) {
            builder.message("S3 uploads failing, " + lake.pendingUploads() + " partition(s) paused and retried: "
                    + lake.lastError().orElse("unknown error"));
            builder.down();
        } else {
            builder.up();
        }
    }
}
