package io.factoryhub.hub.streams;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.ProcessorContext;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A key-value store for values a processor changes with nearly every record (a machine's evaluation state, its open
 * windows, its newest tag values): a put keeps the object as it is, and each changed key is encoded once, when
 * Kafka Streams flushes the store before it commits, into a changelogged store below it. Kafka Streams' own cache
 * encodes a value at every put; in {@code bench rules} that was most of the stream thread's time.
 *
 * <p>Exactly-once holds as with Streams' cache: before it commits the transaction that holds the input offsets,
 * Streams has every cache write out ({@link #flushCache()}), so the changelog gets each key's value as of the last
 * record the commit covers. That call comes through Streams' internal {@link CachedStateStore} interface (Kafka
 * Streams 3.9: {@code ProcessorStateManager.flushCache} at each commit); {@link #flush()} comes only at checkpoints,
 * under exactly-once every 10,000 records. {@code EncodeAtCommitStoreTest} breaks if an upgrade changes that. The
 * objects put must not be changed outside processing (a punctuation is processing).
 */
public final class EncodeAtCommitStore<V> implements KeyValueStore<String, V>, CachedStateStore<String, V> {

    /** A value in the bytes the store below keeps (its changelog's format). */
    public interface Codec<V> {
        byte[] encode(String key, V value);

        V decode(String key, byte[] bytes);

        /** A codec from a serde that needs no key. */
        static <V> Codec<V> of(Serde<V> serde) {
            Serializer<V> serializer = serde.serializer();
            Deserializer<V> deserializer = serde.deserializer();
            return new Codec<>() {
                @Override
                public byte[] encode(String key, V value) {
                    return serializer.serialize(null, value);
                }

                @Override
                public V decode(String key, byte[] bytes) {
                    return deserializer.deserialize(null, bytes);
                }
            };
        }
    }

    private final KeyValueStore<String, byte[]> below;
    private final Codec<V> codec;
    /** Puts since the last flush, by key; a null value is a delete. */
    private final Map<String, V> changed = new HashMap<>();

    private EncodeAtCommitStore(KeyValueStore<String, byte[]> below, Codec<V> codec) {
        this.below = below;
        this.codec = codec;
    }

    /** A store on {@code supplier} (changelogged, not cached: this store is the cache). */
    public static <V> StoreBuilder<KeyValueStore<String, V>> builder(KeyValueBytesStoreSupplier supplier, Codec<V> codec) {
        return new Builder<>(Stores.keyValueStoreBuilder(supplier, Serdes.String(), Serdes.ByteArray()), codec);
    }

    @Override
    public void put(String key, V value) {
        changed.put(key, value);
    }

    @Override
    public V putIfAbsent(String key, V value) {
        V present = get(key);
        if (present == null) {
            put(key, value);
        }
        return present;
    }

    @Override
    public void putAll(List<KeyValue<String, V>> entries) {
        entries.forEach(entry -> put(entry.key, entry.value));
    }

    @Override
    public V delete(String key) {
        V present = get(key);
        changed.put(key, null);
        return present;
    }

    @Override
    public V get(String key) {
        if (changed.containsKey(key)) {
            return changed.get(key);
        }
        byte[] bytes = below.get(key);
        return bytes == null ? null : codec.decode(key, bytes);
    }

    /** Writes what changed first, so the iterator sees every key as it is now. */
    @Override
    public KeyValueIterator<String, V> range(String from, String to) {
        writeChanged();
        return decoding(below.range(from, to));
    }

    @Override
    public KeyValueIterator<String, V> all() {
        writeChanged();
        return decoding(below.all());
    }

    @Override
    public long approximateNumEntries() {
        return below.approximateNumEntries() + changed.size();
    }

    /** Before each commit. */
    @Override
    public void flushCache() {
        writeChanged();
    }

    /** A task closed dirty or revived: what changed since the last commit is not to be written. */
    @Override
    public void clearCache() {
        changed.clear();
    }

    /** For a table's downstream (Streams' KTables); a store processors write to has none. */
    @Override
    public boolean setFlushListener(CacheFlushListener<String, V> listener, boolean sendOldValues) {
        return false;
    }

    @Override
    public void flush() {
        writeChanged();
        below.flush();
    }

    private void writeChanged() {
        changed.forEach((key, value) -> {
            if (value == null) {
                below.delete(key);
            } else {
                below.put(key, codec.encode(key, value));
            }
        });
        changed.clear();
    }

    private KeyValueIterator<String, V> decoding(KeyValueIterator<String, byte[]> entries) {
        return new KeyValueIterator<>() {
            @Override
            public boolean hasNext() {
                return entries.hasNext();
            }

            @Override
            public KeyValue<String, V> next() {
                KeyValue<String, byte[]> entry = entries.next();
                return KeyValue.pair(entry.key, codec.decode(entry.key, entry.value));
            }

            @Override
            public String peekNextKey() {
                return entries.peekNextKey();
            }

            @Override
            public void close() {
                entries.close();
            }
        };
    }

    /** A task's stores start from their changelog: nothing kept in memory survives a re-init. */
    @Override
    public void init(StateStoreContext context, StateStore root) {
        changed.clear();
        below.init(context, root);
    }

    @Deprecated
    @Override
    public void init(ProcessorContext context, StateStore root) {
        changed.clear();
        below.init(context, root);
    }

    @Override
    public String name() {
        return below.name();
    }

    /** Closed without a flush (a task closed dirty): what changed since the last commit is dropped with it. */
    @Override
    public void close() {
        changed.clear();
        below.close();
    }

    @Override
    public boolean persistent() {
        return below.persistent();
    }

    @Override
    public boolean isOpen() {
        return below.isOpen();
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return below.query(query, positionBound, config);
    }

    @Override
    public org.apache.kafka.streams.query.Position getPosition() {
        return below.getPosition();
    }

    private static final class Builder<V> implements StoreBuilder<KeyValueStore<String, V>> {

        private final StoreBuilder<KeyValueStore<String, byte[]>> below;
        private final Codec<V> codec;

        Builder(StoreBuilder<KeyValueStore<String, byte[]>> below, Codec<V> codec) {
            this.below = below;
            this.codec = codec;
        }

        /** The store is the cache: Kafka Streams' own in front of it would encode every put again. */
        @Override
        public StoreBuilder<KeyValueStore<String, V>> withCachingEnabled() {
            throw new UnsupportedOperationException("an encode-at-commit store is its own cache");
        }

        @Override
        public StoreBuilder<KeyValueStore<String, V>> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<String, V>> withLoggingEnabled(Map<String, String> config) {
            below.withLoggingEnabled(config);
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<String, V>> withLoggingDisabled() {
            below.withLoggingDisabled();
            return this;
        }

        @Override
        public KeyValueStore<String, V> build() {
            return new EncodeAtCommitStore<>(below.build(), codec);
        }

        @Override
        public Map<String, String> logConfig() {
            return below.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return below.loggingEnabled();
        }

        @Override
        public String name() {
            return below.name();
        }
    }
}
