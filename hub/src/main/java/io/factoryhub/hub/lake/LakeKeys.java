package io.factoryhub.hub.lake;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The object key layout, Hive style so query engines prune by time:
 * {@code <topic>/date=YYYY-MM-DD/hour=HH/<topic>+<partition>+<firstOffset>.ndjson.gz}, the hour that of the first
 * record's timestamp (UTC). A key depends only on the first record, so a re-written object replaces itself.
 */
public final class LakeKeys {

    public static final String SUFFIX = ".ndjson.gz";
    private static final long HOUR_MS = 3_600_000L;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("'date='yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("'hour='HH").withZone(ZoneOffset.UTC);
    private static final Pattern KEY = Pattern.compile("(.+)/date=(\\d{4}-\\d{2}-\\d{2})/hour=(\\d{2})/(.+)\\+(\\d+)\\+(\\d+)"
            + Pattern.quote(SUFFIX));

    /** Topic, partition, first offset and hour (start, epoch ms) of an object, read back from its key. */
    public record ObjectId(String topic, int partition, long firstOffset, long hourStartMs) {
    }

    private LakeKeys() {
    }

    public static String key(String topic, int partition, long firstOffset, long hourOfEpochMillis) {
        return hourPrefix(topic, hourOfEpochMillis) + "/" + topic + "+" + partition + "+" + firstOffset + SUFFIX;
    }

    /** {@code <topic>/date=YYYY-MM-DD/hour=HH}: the folder of one hour. */
    public static String hourPrefix(String topic, long epochMillis) {
        return dayPrefix(topic, epochMillis) + "/" + HOUR.format(instant(epochMillis));
    }

    /** {@code <topic>/date=YYYY-MM-DD}: the folder of one day (UTC). */
    public static String dayPrefix(String topic, long epochMillis) {
        return topic + "/" + DAY.format(instant(epochMillis));
    }

    /** The hour bucket of a timestamp: records of one object share it. */
    public static long hourOf(long epochMillis) {
        return Math.floorDiv(Math.max(0, epochMillis), HOUR_MS);
    }

    /** The object a key names; empty for keys of another layout. */
    public static Optional<ObjectId> parse(String key) {
        Matcher m = KEY.matcher(key);
        if (!m.matches() || !m.group(1).equals(m.group(4))) {
            return Optional.empty();
        }
        long hourStart = LocalDate.parse(m.group(2)).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli()
                + Integer.parseInt(m.group(3)) * HOUR_MS;
        return Optional.of(new ObjectId(m.group(1), Integer.parseInt(m.group(5)), Long.parseLong(m.group(6)), hourStart));
    }

    private static Instant instant(long epochMillis) {
        return Instant.ofEpochMilli(Math.max(0, epochMillis));
    }
}
