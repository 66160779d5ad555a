package io.factoryhub.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * A browser's view of the dashboard's event stream ({@code GET /dashboard/events}, Server-Sent Events): each
 * {@code data:} line of an {@code anomaly} event is handed over with the moment it arrived.
 */
final class DashboardClient implements AutoCloseable {

    private final CompletableFuture<HttpResponse<Stream<String>>> response;

    /** @param onAnomaly the event's JSON and when its line arrived (epoch micros) */
    DashboardClient(int httpPort, BiConsumer<String, Long> onAnomaly) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/dashboard/events"))
                .header("Accept", "text/event-stream").GET().build();
        // HTTP/1.1 as a browser speaks it to http://: the JDK's default h2c upgrade at times garbles a large first frame
        response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        response.thenAcceptAsync(r -> {
            String event = "";
            for (String line : (Iterable<String>) r.body()::iterator) {
                if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:") && "anomaly".equals(event)) {
                    onAnomaly.accept(line.substring(5).trim(), Readings.nowMicros());
                } else if (line.isEmpty()) {
                    event = "";
                }
            }
        });
    }

    /** Waits until the server answered the request (the stream is open). */
    DashboardClient connected() throws Exception {
        int status = response.get(30, java.util.concurrent.TimeUnit.SECONDS).statusCode();
        if (status != 200) {
            throw new IllegalStateException("the dashboard's event stream answered " + status);
        }
        return this;
    }

    @Override
    public void close() {
        response.thenAccept(r -> r.body().close());
        response.cancel(true);
    }
}
