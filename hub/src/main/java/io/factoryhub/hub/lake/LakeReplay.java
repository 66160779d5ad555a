package io.factoryhub.hub.lake;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Lake -> Kafka: the objects of one topic whose hour folders overlap [from, to), partition by partition in offset
 * order, records with a timestamp in [from, to) sent to the target topic with their key, headers, timestamp and
 * (when the target has it) their partition. A corrupt object is reported and skipped; the rest continues.
 */
public final class LakeReplay {

    /** What a replay did. */
    public record Result(int objects, long records, List<String> corrupt) {
    }

    private final LakeBucket bucket;
    private static final long HOUR_MS = 3_600_000L;
    private static final long DAY_MS = 24 * HOUR_MS;

    private final KafkaProducer<byte[], byte[]> producer;
    private final PrintWriter progress;

    public LakeReplay(LakeBucket bucket, KafkaProducer<byte[], byte[]> producer, PrintWriter progress) {
        this.bucket = bucket;
        this.producer = producer;
        this.progress = progress;
    }

    /** @param ratePerSecond records per second at most; 0 = as fast as Kafka takes them */
    public Result replay(String topic, Instant from, Instant to, String targetTopic, int ratePerSecond) throws Exception {
        List<Listed> objects = objectsOf(topic, from, to);
        progress.printf("replay: %d objects of %s between %s and %s -> %s%n", objects.size(), topic, from, to, targetTopic);
        progress.flush();
        int targetPartitions = producer.partitionsFor(targetTopic).size();
        Pacer pacer = new Pacer(ratePerSecond);
        List<String> corrupt = new ArrayList<>();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        long records = 0;
        int done = 0;
        for (Listed object : objects) {
            String key = object.key();
            List<LakeRecord> decoded;
            try {
                decoded = LakeObjects.decode(bucket.get(key));
            } catch (java.io.IOException e) {
                corrupt.add(key);
                progress.printf("replay: CORRUPT %s skipped: %s%n", key, e.getMessage());
                continue;
            }
            for (LakeRecord record : decoded) {
                if (record.timestamp() < from.toEpochMilli() || record.timestamp() >= to.toEpochMilli()) {
                    continue;
                }
                pacer.await();
                sent.add(producer.send(toProducerRecord(record, targetTopic, targetPartitions)));
                records++;
            }
            done++;
            for (Future<RecordMetadata> ack : sent) {
                ack.get(); // an object counts as replayed once Kafka acknowledged all of it
            }
            sent.clear();
            progress.printf("replay: %d/%d objects, %,d records (%s)%n", done + corrupt.size(), objects.size(), records, key);
            progress.flush();
        }
        return new Result(objects.size(), records, List.copyOf(corrupt));
    }

    private record Listed(LakeKeys.ObjectId id, String key) {
    }

    /** The objects in the hour folders that overlap [from, to), in partition, then offset order; listed a day at a time. */
    private List<Listed> objectsOf(String topic, Instant from, Instant to) {
        List<Listed> listed = new ArrayList<>();
        long firstHour = LakeKeys.hourOf(from.toEpochMilli()) * HOUR_MS;
        for (long day = Math.floorDiv(from.toEpochMilli(), DAY_MS) * DAY_MS; day < to.toEpochMilli(); day += DAY_MS) {
            for (String key : bucket.list(LakeKeys.dayPrefix(topic, day) + "/")) {
                LakeKeys.parse(key).filter(id -> id.topic().equals(topic))
                        .filter(id -> id.hourStartMs() >= firstHour && id.hourStartMs() < to.toEpochMilli())
                        .ifPresent(id -> listed.add(new Listed(id, key)));
            }
        }
        listed.sort(Comparator.comparingInt((Listed l) -> l.id().partition()).thenComparingLong(l -> l.id().firstOffset()));
        return listed;
    }

    private static ProducerRecord<byte[], byte[]> toProducerRecord(LakeRecord record, String topic, int targetPartitions) {
        Integer partition = record.partition() < targetPartitions ? record.partition() : null;
        List<org.apache.kafka.common.header.Header> headers = new ArrayList<>();
        record.headers().forEach(h -> headers.add(new RecordHeader(h.key(), h.value())));
        return new ProducerRecord<>(topic, partition, record.timestamp() < 0 ? null : record.timestamp(), record.key(),
                record.value(), headers);
    }

    /** At most {@code perSecond} calls of {@link #await()} per second (0: no limit). */
    private static final class Pacer {
        private final long nanosPerRecord;
        private long next = System.nanoTime();

        Pacer(int perSecond) {
            this.nanosPerRecord = perSecond <= 0 ? 0 : 1_000_000_000L / perSecond;
        }

        void await() throws InterruptedException {
            if (nanosPerRecord == 0) {
                return;
            }
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            next = Math.max(next, System.nanoTime() - 1_000_000_000L) + nanosPerRecord;
        }
    }
}
