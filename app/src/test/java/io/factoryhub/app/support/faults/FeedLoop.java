package io.factoryhub.app.support.faults;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Polls {@link LedgerFeed}s on a thread of their own, so a test can break things, sleep through an outage and read
 * /health while its ledgers fill; each feed's consumer stays on that one thread. Closing stops it and the feeds.
 */
public final class FeedLoop implements AutoCloseable {

    private final List<LedgerFeed> feeds;
    private final Thread thread;
    private volatile boolean running = true;

    public FeedLoop(LedgerFeed... feeds) {
        this.feeds = List.of(feeds);
        this.thread = new Thread(this::run, "ledger-feed");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            int read = feeds.stream().mapToInt(LedgerFeed::poll).sum();
            if (read == 0) {
                pause(); // a topic not there yet answers at once: do not ask the broker in a busy loop
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(30));
        feeds.forEach(LedgerFeed::close);
    }
}
