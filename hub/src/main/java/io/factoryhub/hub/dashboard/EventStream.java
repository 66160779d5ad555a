package io.factoryhub.hub.dashboard;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;

/**
 * One page's Server-Sent Events stream: a {@code text/event-stream} response that stays open, over HTTP/1.1 (chunked;
 * what browsers speak to a plain http:// hub) or HTTP/2. Callers may be on any thread; the response is only touched on
 * its connection's Vert.x context: over h2c, snapshots written from the pump's thread reached a JDK client garbled
 * ("Frame type(54) ... exceeds MAX_FRAME_SIZE") in 8 of 50 reads, from the context in 1 of 300. The rest is the
 * clients': right after an h2c upgrade they fail to take a large first frame (curl: "connection buffer size is too
 * small to store data following HTTP Upgrade"); browsers never upgrade, scripts should ask for HTTP/1.1.
 *
 * <p>A page that stops taking data (more than its snapshot plus {@value #SLACK_BYTES} bytes waiting, or over HTTP/2
 * its flow-control window shut) for {@value #STALL_MS} ms is reset rather than buffered for without end; its browser
 * reconnects by itself ({@value #RETRY_MS} ms later) and starts over from a fresh snapshot. Reset, not closed: over
 * HTTP/2, closing would end every stream of the connection.
 */
final class EventStream {

    private static final int SLACK_BYTES = 1024 * 1024;
    private static final int RETRY_MS = 2000;
    /** Long enough for a browser busy with a large snapshot, short enough to bound what waits for a gone page. */
    private static final long STALL_MS = 10_000;

    private final HttpServerResponse response;
    private final Context context;
    /** When its queue was first seen full, while it still is; null when it is not. Used under LiveLine's lock. */
    private Long fullSince;

    private EventStream(HttpServerResponse response, Context context) {
        this.response = response;
        this.context = context;
    }

    /** Starts the stream on {@code response}. */
    static EventStream open(HttpServerResponse response) {
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                // every event is news: no cache, and no proxy that holds the stream back to buffer it
                .putHeader("Cache-Control", "no-store")
                .putHeader("X-Accel-Buffering", "no");
        response.write("retry: " + RETRY_MS + "\n\n");
        return new EventStream(response, Vertx.currentContext());
    }

    static String event(String name, String json) {
        return "event: " + name + "\ndata: " + json + "\n\n";
    }

    static String comment(String text) {
        return ": " + text + "\n\n";
    }

    /** Runs {@code action} once the page has gone (closed, navigated away, connection lost). */
    void onClose(Runnable action) {
        response.closeHandler(v -> action.run());
    }

    /** The first frame, which sets how far this page may fall behind. */
    void start(String snapshotFrame) {
        response.setWriteQueueMaxSize(snapshotFrame.length() + SLACK_BYTES);
        write(snapshotFrame);
    }

    /** @return false when the page is gone, or took nothing for too long and is now reset */
    boolean send(String frame) {
        if (response.closed()) {
            return false;
        }
        if (!response.writeQueueFull()) {
            fullSince = null;
        } else if (fullSince == null) {
            fullSince = System.nanoTime();
        } else if (System.nanoTime() - fullSince > STALL_MS * 1_000_000) {
            context.runOnContext(v -> response.reset());
            return false;
        }
        write(frame);
        return true;
    }

    private void write(String frame) {
        context.runOnContext(v -> response.write(frame));
    }

    void close() {
        context.runOnContext(v -> {
            if (!response.closed()) {
                response.end();
            }
        });
    }
}
