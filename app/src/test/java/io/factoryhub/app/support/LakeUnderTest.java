package io.factoryhub.app.support;

import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.hub.lake.LakeWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.camel.impl.DefaultCamelContext;

/** The hub's lake writer (product code, real Camel aws2-s3 producer) on the test plant's Kafka and S3, for one topic. */
public final class LakeUnderTest implements AutoCloseable {

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final LakeWriter writer;

    private LakeUnderTest(HubConfig config) throws Exception {
        camel.start();
        writer = LakeWriter.start(config, camel);
    }

    public static LakeUnderTest start(HubConfig config) throws Exception {
        return new LakeUnderTest(config);
    }

    /** Configuration archiving exactly {@code topic} into the test plant's S3, with the given lake keys on top. */
    public static HubConfig config(TestPlant plant, String topic, Map<String, String> lake) {
        try {
            Path home = Files.createTempDirectory("factory-hub-lake");
            HubConfig config = HubConfig.defaults()
                    .with("factory.home", home.toString())
                    .with("factory.kafka.bootstrap-servers", plant.bootstrapServers())
                    .with("factory.lake.topics", Pattern.quote(topic))
                    .with("factory.lake.group-id", "lake-" + topic)
                    .with("s3.endpoint", plant.s3().endpoint())
                    .with("s3.access-key", TestPlant.S3_ACCESS_KEY)
                    .with("s3.secret-key", TestPlant.S3_SECRET_KEY);
            for (Map.Entry<String, String> entry : lake.entrySet()) {
                config = config.with(entry.getKey(), entry.getValue());
            }
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same configuration as a properties file, for the CLI ({@code --config}). */
    public static Path configFile(HubConfig config) {
        Path file = config.getPath("factory.home").resolve("hub.properties");
        Properties p = new Properties();
        for (String key : new String[] {"factory.home", "factory.kafka.bootstrap-servers", "factory.lake.bucket", "s3.endpoint",
            "s3.access-key", "s3.secret-key"}) {
            p.setProperty(key, config.get(key));
        }
        try (Writer out = Files.newBufferedWriter(file)) {
            p.store(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    public LakeWriter writer() {
        return writer;
    }

    @Override
    public void close() {
        writer.close();
        camel.stop();
    }
}
