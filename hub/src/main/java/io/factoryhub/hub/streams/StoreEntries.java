package io.factoryhub.hub.streams;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** Store helpers for processors that close windows over every key they hold. */
public final class StoreEntries {

    private StoreEntries() {
    }

    /** Every entry, read before the caller puts or deletes: a store is not changed under an open iterator. */
    public static <V> List<KeyValue<String, V>> all(KeyValueStore<String, V> store) {
        List<KeyValue<String, V>> entries = new ArrayList<>();
        try (KeyValueIterator<String, V> iterator = store.all()) {
            iterator.forEachRemaining(entries::add);
        }
        return entries;
    }

    /**
     * The stream time at which the next window of {@code sizeMs} (tumbling, aligned on the epoch) closes, after
     * {@code streamTimeMs}: its end plus the grace period.
     */
    public static long nextClose(long streamTimeMs, long graceMs, long sizeMs) {
        return (Math.floorDiv(streamTimeMs - graceMs, sizeMs) + 1) * sizeMs + graceMs;
    }
}
