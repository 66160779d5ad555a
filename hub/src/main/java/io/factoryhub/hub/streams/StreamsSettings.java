package io.factoryhub.hub.streams;

import io.factoryhub.hub.config.HubConfig;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Kafka Streams' settings from the hub's: one application id shared by every hub instance (they split the
 * partitions), state in the data dir, exactly-once, and this instance's HTTP address for interactive queries.
 */
public final class StreamsSettings {

    private StreamsSettings() {
    }

    public static Properties from(HubConfig config) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.get("factory.streams.application-id"));
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.get("factory.kafka.bootstrap-servers"));
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir(config).toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.get("factory.streams.commit-interval-ms"));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.get("factory.streams.threads"));
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.get("factory.streams.standby-replicas"));
        p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, advertisedHost(config) + ":" + config.get("factory.http.port"));
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor(config));
        // static membership under the instance's own name: a graceful stop removes it from the group (close's leaveGroup
        // works for static members only), so the others take its tasks at once instead of after the session timeout
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), config.get("factory.instance-id"));
        // a new application starts at the beginning of telemetry: rules see the history the topic still holds
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), config.get("factory.kafka.compression"));
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), config.get("factory.kafka.linger-ms"));
        return p;
    }

    /** {@code <data-dir>/streams}: task state (RocksDB) and checkpoints; a restart resumes from it. */
    public static Path stateDir(HubConfig config) {
        return config.getPath("factory.data-dir").resolve("streams");
    }

    /** The address other instances reach this one's HTTP port at, for queries of state it holds. */
    private static String advertisedHost(HubConfig config) {
        String host = config.get("factory.streams.advertised-host");
        if (!host.isBlank()) {
            return host;
        }
        String bind = config.get("factory.http.host");
        return bind.equals("0.0.0.0") ? "localhost" : bind;
    }

    /** Internal topics (changelogs, repartitions) replicated as the hub's own: -1 takes the broker's default. */
    private static String replicationFactor(HubConfig config) {
        String factor = config.get("factory.topic.replication-factor");
        return factor.equals("auto") ? "-1" : factor;
    }
}
