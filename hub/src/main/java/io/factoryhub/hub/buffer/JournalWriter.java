package io.factoryhub.hub.buffer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends records to the log on one thread, in the order they were submitted, with group commit: whatever arrived
 * while the previous append (and its fsync) ran goes to disk in one append, then each submitter is told. So the cost of
 * an fsync is shared by every record waiting for it, and callers never block on the disk.
 */
final class JournalWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);
    /** Records per append at most: bounds one write's size and the latency of the first record in it. */
    private static final int MAX_GROUP = 1000;

    /** A submitted record, encoded, and whom to tell once it is on disk (null) or refused (the reason). */
    private record Pending(BufferedRecord record, byte[] encoded, Consumer<Throwable> done) {
    }

    private final RecordLog log;
    private final RecentRecords recent;
    private final Runnable onAppended;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param recent     told of each append, before the forwarder is woken
     * @param onAppended called after each append (wakes the forwarder)
     */
    JournalWriter(RecordLog log, RecentRecords recent, Runnable onAppended) {
        this.log = log;
        this.recent = recent;
        this.onAppended = onAppended;
        this.thread = new Thread(this::run, "buffer-journal");
        thread.setDaemon(true);
        thread.start();
    }

    void submit(BufferedRecord record, byte[] encoded, Consumer<Throwable> done) {
        if (!running) {
            done.accept(new BufferUnavailableException("the store-and-forward buffer is stopped"));
            return;
        }
        queue.add(new Pending(record, encoded, done));
    }

    private void run() {
        List<Pending> group = new ArrayList<>(MAX_GROUP);
        List<byte[]> records = new ArrayList<>(MAX_GROUP);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, MAX_GROUP - 1);
                group.forEach(p -> records.add(p.encoded()));
                Throwable outcome = append(group, records);
                group.forEach(p -> p.done().accept(outcome));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                group.clear();
                records.clear();
            }
        }
        refuseQueued();
    }

    private Throwable append(List<Pending> group, List<byte[]> records) {
        try {
            long lastSeq = log.append(records);
            recent.appended(lastSeq, group.stream().map(Pending::record).toList(), records.stream().map(r -> r.length).toList());
            onAppended.run();
            return null;
        } catch (IOException | RuntimeException e) {
            LOG.error("Store-and-forward buffer: cannot write {} record(s) to disk: {}", records.size(), e.toString());
            return new BufferUnavailableException("the store-and-forward buffer cannot write to disk: " + e.getMessage(), e);
        }
    }

    private void refuseQueued() {
        Pending left;
        while ((left = queue.poll()) != null) {
            left.done().accept(new BufferUnavailableException("the store-and-forward buffer is stopped"));
        }
    }

    /** Writes what was submitted before this call, then stops; a submit racing with it is refused, not left hanging. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        refuseQueued();
    }
}
