package io.factoryhub.app.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.stream.Stream;

/** What a page gets first from the line dashboard: its snapshot. */
public final class DashboardSnapshot {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DashboardSnapshot() {
    }

    /**
     * The dashboard's first SSE message, read as the browser's EventSource reads it: over HTTP/1.1 (the JDK's client
     * would upgrade to h2c, which no browser does on http://, and then fails to read a large first frame at times).
     *
     * @return the response's content type and the snapshot
     */
    public static Read read(int httpPort) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + httpPort + "/dashboard/events")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = response.body()) {
            String data = lines.dropWhile(line -> !line.equals("event: snapshot")).skip(1).findFirst().orElseThrow();
            return new Read(response.headers().firstValue("Content-Type").orElse(""), JSON.readTree(data.substring("data: ".length())));
        }
    }

    public record Read(String contentType, JsonNode snapshot) {
    }
}
