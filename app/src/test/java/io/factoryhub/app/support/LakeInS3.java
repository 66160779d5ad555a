package io.factoryhub.app.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.factoryhub.testkit.Waits;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The lake as a user sees it, read with the plain AWS SDK (not the hub's code): keys under a topic, and each object
 * gunzipped and split into its NDJSON lines.
 */
public final class LakeInS3 implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final S3Client s3;
    private final String bucket;

    public LakeInS3(String endpoint, String bucket, String accessKey, String secretKey) {
        this.bucket = bucket;
        this.s3 = S3Client.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey))).build();
    }

    /** The test plant's S3. */
    public static LakeInS3 of(TestPlant plant) {
        return new LakeInS3(plant.s3().endpoint(), plant.s3().bucket(), TestPlant.S3_ACCESS_KEY, TestPlant.S3_SECRET_KEY);
    }

    public List<String> keys(String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream().map(S3Object::key)
                // the filesystem store also lists its folders and, while writing, "<key>-<uuid>" temp files
                .filter(key -> key.endsWith(".ndjson.gz"))
                .sorted().toList();
    }

    public List<JsonNode> lines(String key) {
        byte[] object = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        List<JsonNode> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(new ByteArrayInputStream(object)), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(JSON.readTree(line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(key + " is not NDJSON.gz", e);
        }
        return lines;
    }

    /** Every line of every object under {@code prefix}, object by object in key order. */
    public List<JsonNode> allLines(String prefix) {
        List<JsonNode> all = new ArrayList<>();
        keys(prefix).forEach(key -> all.addAll(lines(key)));
        return all;
    }

    /** Waits until the lines under {@code prefix} satisfy {@code done}; returns them, or fails with the count seen. */
    public List<JsonNode> await(String prefix, Predicate<List<JsonNode>> done, Duration timeout) {
        AtomicReference<List<JsonNode>> lines = new AtomicReference<>(List.of());
        Waits.atMost(timeout).pollInterval(Duration.ofMillis(200))
                // s3proxy's filesystem store can serve an object cut short while the writer overwrites it (a re-upload
                // after a crash); read again. Objects read once the writer has stopped must be whole.
                .ignoreExceptionsInstanceOf(UncheckedIOException.class)
                .untilAsserted(() -> {
                    lines.set(allLines(prefix));
                    assertTrue(done.test(lines.get()), "lake under " + prefix + " not as expected; " + lines.get().size() + " lines");
                });
        return lines.get();
    }

    public void put(String key, byte[] object) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(object));
    }

    public void delete(String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }

    @Override
    public void close() {
        s3.close();
    }
}
