package io.factoryhub.hub.support;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** CloudEvents ids ({@code ce_id}) for the events the hub writes. */
public final class EventIds {

    private EventIds() {
    }

    /**
     * A random (version 4) UUID from ThreadLocalRandom: unique enough for a CloudEvents id, without
     * UUID.randomUUID()'s shared SecureRandom on the per-message path.
     */
    public static String random() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }
}
