package io.factoryhub.hub.inference.action;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The client side of the Open Inference Protocol v2 REST API (KServe v2): one {@code POST
 * {url}/v2/models/{model}[/versions/{version}]/infer} with the windows as one FP32 tensor of shape [B, N].
 * Tensors in the answer may come flat or nested (both are allowed by the protocol): they are read flat.
 */
final class OipClient {

    private static final JsonFactory JSON = new JsonFactory();

    private final HttpClient http;
    private final URI inferUri;
    private final String inputName;
    private final Duration timeout;

    OipClient(String url, String model, String version, String inputName, Duration timeout) {
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        String path = "/v2/models/" + encode(model) + (version == null ? "" : "/versions/" + encode(version)) + "/infer";
        this.inferUri = URI.create(base + path);
        this.inputName = inputName;
        this.timeout = timeout;
        // HTTP/1.1: an h2c upgrade attempt per connection buys nothing on a LAN and some servers refuse it
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    URI inferUri() {
        return inferUri;
    }

    /** Scores the windows; throws when the server is unreachable, slow (timeout), or answers other than 200. */
    InferenceResponse infer(List<Window> windows) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(inferUri).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(requestBody(windows))).build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("model server answered " + response.statusCode() + " to " + inferUri + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return parse(response.body());
    }

    byte[] requestBody(List<Window> windows) throws IOException {
        int width = windows.get(0).values().length;
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + windows.size() * width * 10);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeArrayFieldStart("inputs");
            json.writeStartObject();
            json.writeStringField("name", inputName);
            json.writeArrayFieldStart("shape");
            json.writeNumber(windows.size());
            json.writeNumber(width);
            json.writeEndArray();
            json.writeStringField("datatype", "FP32");
            json.writeArrayFieldStart("data");
            for (Window window : windows) {
                for (float value : window.values()) {
                    json.writeNumber(value);
                }
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndArray();
            json.writeEndObject();
        }
        return out.toByteArray();
    }

    static InferenceResponse parse(byte[] body) throws IOException {
        String modelName = null;
        String modelVersion = null;
        List<InferenceResponse.Output> outputs = new ArrayList<>();
        try (JsonParser json = JSON.createParser(body)) {
            expect(json.nextToken(), JsonToken.START_OBJECT);
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                json.nextToken();
                switch (field) {
                    case "model_name" -> modelName = json.getValueAsString();
                    case "model_version" -> modelVersion = json.getValueAsString();
                    case "outputs" -> {
                        expect(json.currentToken(), JsonToken.START_ARRAY);
                        while (json.nextToken() == JsonToken.START_OBJECT) {
                            outputs.add(output(json));
                        }
                    }
                    default -> json.skipChildren();
                }
            }
        }
        if (outputs.isEmpty()) {
            throw new IOException("the model server's answer has no outputs");
        }
        return new InferenceResponse(modelName, modelVersion, outputs);
    }

    private static InferenceResponse.Output output(JsonParser json) throws IOException {
        String name = null;
        List<Long> shape = new ArrayList<>();
        double[] data = new double[0];
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            json.nextToken();
            switch (field) {
                case "name" -> name = json.getValueAsString();
                case "shape" -> {
                    while (json.nextToken() != JsonToken.END_ARRAY) {
                        shape.add(json.getLongValue());
                    }
                }
                case "data" -> data = flatNumbers(json);
                default -> json.skipChildren();
            }
        }
        return new InferenceResponse.Output(name, shape.stream().mapToLong(Long::longValue).toArray(), data);
    }

    /** A tensor's data, flat or nested arrays, as doubles (booleans as 0/1). */
    private static double[] flatNumbers(JsonParser json) throws IOException {
        expect(json.currentToken(), JsonToken.START_ARRAY);
        double[] values = new double[64];
        int n = 0;
        int depth = 1;
        while (depth > 0) {
            JsonToken token = json.nextToken();
            if (token == JsonToken.START_ARRAY) {
                depth++;
            } else if (token == JsonToken.END_ARRAY) {
                depth--;
            } else {
                if (n == values.length) {
                    values = java.util.Arrays.copyOf(values, n * 2);
                }
                values[n++] = switch (token) {
                    case VALUE_TRUE -> 1;
                    case VALUE_FALSE -> 0;
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> json.getDoubleValue();
                    default -> throw new IOException("a tensor value is not a number: " + token);
                };
            }
        }
        return java.util.Arrays.copyOf(values, n);
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("unexpected JSON in the model server's answer: " + actual + " where " + expected + " belongs");
        }
    }

    private static String encode(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
