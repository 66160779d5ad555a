package io.factoryhub.hub.health;

import io.factoryhub.hub.lake.LakeWriter;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Ready while the lake writer stores what it reads; down while uploads fail (S3 unreachable or rejecting: the
 * affected partitions are paused and retried, nothing is lost) or when the writer stopped.
 */
public final class LakeCheck extends ReadinessCheck {

    private final LakeWriter lake;
    private final String off;

    public LakeCheck(LakeWriter lake) {
        this(lake, null);
    }

    private LakeCheck(LakeWriter lake, String off) {
        super("data-lake");
        this.lake = lake;
        this.off = off;
    }

    /** The lake writer could not start (a bad S3 setting): down with the reason, while the rest of the hub runs. */
    public static LakeCheck off(String reason) {
        return new LakeCheck(null, reason);
    }


    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (lake == null) {
            builder.message(off);
            builder.down();
            return;
        }
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
