package io.factoryhub.hub.state;

import io.factoryhub.hub.config.HubConfig;

/**
 * The clocks of machine-state evaluation ({@code factory.rules.*}).
 *
 * @param outOfOrderMs   event time a source's readings may arrive behind its newest one and still be applied in order
 * @param idleTimeoutMs  wall time after which a silent source stops holding its machine's watermark back
 * @param offlineAfterMs wall time without any reading of a machine after which it is OFFLINE
 */
public record StateTimings(long outOfOrderMs, long idleTimeoutMs, long offlineAfterMs) {

    public static StateTimings from(HubConfig config) {
        return new StateTimings(millis(config, "factory.rules.out-of-order-ms"), millis(config, "factory.rules.idle-timeout-ms"),
                millis(config, "factory.rules.offline-after-ms"));
    }

    private static long millis(HubConfig config, String key) {
        return Long.parseLong(config.get(key).trim());
    }
}
