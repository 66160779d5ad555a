package io.factoryhub.bench;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.postgresql.PGConnection;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;

/**
 * The baseline of {@code bench cdc}: PostgreSQL's logical replication stream (pgoutput) read with plain pgjdbc and
 * each insert message written to Kafka as raw bytes, no Debezium, no decoding into rows, no JSON. The record
 * timestamp is the transaction's commit time (from the BEGIN message), so a consumer can measure commit -> Kafka.
 * The slot's position is confirmed only after Kafka acknowledged, like the hub does.
 */
final class RawReplicationBaseline implements AutoCloseable {

    /** pgoutput timestamps count microseconds from 2000-01-01. */
    private static final long PG_EPOCH_MS = 946_684_800_000L;

    private final String jdbcUrl;
    private final Properties credentials;
    private final String slot;
    private final String publication;
    private final String topic;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicLong inserts = new AtomicLong();
    private volatile boolean running = true;
    private Thread thread;
    private volatile Throwable failure;

    RawReplicationBaseline(String jdbcUrl, String user, String password, String slot, String publication,
                           String bootstrapServers, String topic) {
        this.jdbcUrl = jdbcUrl;
        this.credentials = new Properties();
        credentials.setProperty("user", user);
        credentials.setProperty("password", password);
        credentials.setProperty("replication", "database");
        credentials.setProperty("assumeMinServerVersion", "10");
        credentials.setProperty("preferQueryMode", "simple");
        this.slot = slot;
        this.publication = publication;
        this.topic = topic;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 65536,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Creates the slot now, so it keeps every change from here on. */
    void createSlot() throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, credentials)) {
            c.unwrap(PGConnection.class).getReplicationAPI().createReplicationSlot().logical()
                    .withSlotName(slot).withOutputPlugin("pgoutput").make();
        }
    }

    RawReplicationBaseline start() {
        thread = new Thread(this::stream, "raw-replication-baseline");
        thread.start();
        return this;
    }

    long inserts() {
        return inserts.get();
    }

    Throwable failure() {
        return failure;
    }

    private void stream() {
        try (Connection c = DriverManager.getConnection(jdbcUrl, credentials);
             PGReplicationStream stream = c.unwrap(PGConnection.class).getReplicationAPI().replicationStream().logical()
                     .withSlotName(slot).withSlotOption("proto_version", "1").withSlotOption("publication_names", publication)
                     .withStatusInterval(1, TimeUnit.SECONDS).start()) {
            long commitMs = 0;
            long unconfirmed = 0;
            while (running) {
                ByteBuffer buffer = stream.readPending();
                if (buffer == null) {
                    if (unconfirmed > 0) {
                        confirm(stream);
                        unconfirmed = 0;
                    }
                    Thread.sleep(1);
                    continue;
                }
                byte[] message = new byte[buffer.remaining()];
                buffer.get(message);
                switch (message[0]) {
                    case 'B' -> commitMs = ByteBuffer.wrap(message, 9, 8).getLong() / 1000 + PG_EPOCH_MS;
                    case 'I' -> {
                        producer.send(new ProducerRecord<>(topic, null, commitMs, null, message), (md, e) -> {
                            if (e == null) {
                                inserts.incrementAndGet();
                            } else {
                                failure = e;
                            }
                        });
                        if (++unconfirmed >= 10_000) {
                            confirm(stream);
                            unconfirmed = 0;
                        }
                    }
                    default -> {
                        // relation, commit, type messages: nothing to write
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            failure = e;
        }
    }

    /** After Kafka has everything sent so far, the slot may forget it. */
    private void confirm(PGReplicationStream stream) throws java.sql.SQLException {
        producer.flush();
        LogSequenceNumber lsn = stream.getLastReceiveLSN();
        stream.setAppliedLSN(lsn);
        stream.setFlushedLSN(lsn);
        stream.forceUpdateStatus();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(10_000);
        }
        producer.close();
    }
}
