package io.factoryhub.app.support.faults;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waiting in fault tests that print their figures before they assert: a wait that runs out is not the failure, the
 * ledger's assertion after it says what is missing.
 */
public final class Waits {

    private Waits() {
    }

    /** Waits up to {@code atMost} for {@code done} (polled every 20 ms); false when it did not come. */
    public static boolean within(Duration atMost, Callable<Boolean> done) {
        try {
            await().atMost(atMost).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).until(done);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }
}
