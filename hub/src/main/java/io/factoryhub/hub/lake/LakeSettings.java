package io.factoryhub.hub.lake;

import io.factoryhub.hub.config.HubConfig;
import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What the lake writer does, from {@code factory.lake.*}: which topics (comma-separated regular expressions), which
 * bucket, when an object is rolled, how hard it is compressed, how uploads are retried.
 *
 * @param topics          topics to archive: one pattern, the configured ones or-ed
 * @param rollRecords     an object is closed at this many records ...
 * @param rollBytes       ... or this many uncompressed bytes ...
 * @param rollIntervalMs  ... or this long after its first record arrived, whichever comes first
 * @param gzipLevel       Deflater level, 1 (fast) to 9 (small)
 * @param retryMaxMs      upload retries back off from 1 s up to this
 */
public record LakeSettings(String bootstrapServers, Pattern topics, String groupId, String bucket, int rollRecords,
        long rollBytes, long rollIntervalMs, int gzipLevel, long retryMaxMs) {

    public static LakeSettings from(HubConfig config) {
        return new LakeSettings(config.get("factory.kafka.bootstrap-servers"), topicPattern(config.get("factory.lake.topics")),
                config.get("factory.lake.group-id"), config.get("factory.lake.bucket"), config.getInt("factory.lake.roll.records"),
                Long.parseLong(config.get("factory.lake.roll.bytes")), Long.parseLong(config.get("factory.lake.roll.interval-ms")),
                config.getInt("factory.lake.gzip-level"), Long.parseLong(config.get("factory.lake.retry.max-backoff-ms")));
    }

    static Pattern topicPattern(String commaSeparated) {
        return Pattern.compile(Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> "(?:" + s + ")").collect(Collectors.joining("|")));
    }
}
