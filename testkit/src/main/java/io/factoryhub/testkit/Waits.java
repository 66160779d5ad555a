package io.factoryhub.testkit;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Awaitility as the tests here wait: the condition runs in the calling thread, since it often polls what that thread
 * owns (a KafkaConsumer, a JDBC connection), at once and then every 20 ms unless told otherwise.
 */
public final class Waits {

    private static final Duration EVERY = Duration.ofMillis(20);

    /**
     * No pause between two evaluations, for a condition that waits itself (one that calls {@code KafkaConsumer.poll}
     * with a timeout): a pause there only slows reading a topic's backlog.
     */
    public static final Duration BACK_TO_BACK = Duration.ZERO;

    private Waits() {
    }

    /** Awaits up to {@code atMost}; fails with Awaitility's ConditionTimeoutException (or the last AssertionError). */
    public static ConditionFactory atMost(Duration atMost) {
        return Awaitility.await().atMost(atMost).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(EVERY);
    }

    /**
     * Waits up to {@code atMost} for {@code done}; false when it did not come. For tests that print their figures or
     * assert with a better message afterwards: the wait running out is not the failure, the assertion after it says
     * what is missing.
     */
    public static boolean within(Duration atMost, Callable<Boolean> done) {
        return within(atMost, EVERY, done);
    }

    /** {@link #within(Duration, Callable)}, asking every {@code every} (an HTTP endpoint, a database). */
    public static boolean within(Duration atMost, Duration every, Callable<Boolean> done) {
        try {
            atMost(atMost).pollInterval(every).until(done);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }
}
