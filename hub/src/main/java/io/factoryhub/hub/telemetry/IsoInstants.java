package io.factoryhub.hub.telemetry;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * ISO-8601 instants on the per-message path. {@code Instant.parse} and {@code Instant.toString} go through
 * DateTimeFormatter, which took a fifth of the normalizer's CPU in a bench ingest profile (JFR); the UTC forms
 * readings carry ({@code 2026-11-26T04:37:00.123Z}, fraction optional) are read and written directly here, any
 * other form falls back to {@code Instant.parse}.
 */
public final class IsoInstants {

    private static final int FIXED_LENGTH = "yyyy-MM-ddTHH:mm:ss".length();

    /** The last formatted millisecond: the events of one burst share it. */
    private static volatile Formatted last = new Formatted(Long.MIN_VALUE, "");

    private record Formatted(long epochMilli, String text) {
    }

    private IsoInstants() {
    }

    public static Instant parse(String text) {
        Instant fast = parseUtc(text);
        return fast != null ? fast : Instant.parse(text);
    }

    /** The instant exactly: whole milliseconds as {@code 2026-11-26T04:37:00.123Z}, finer ones as Instant.toString. */
    static String format(Instant instant) {
        return instant.getNano() % 1_000_000 == 0 ? formatMillis(instant) : instant.toString();
    }

    /** Truncated to milliseconds, UTC, always with three fraction digits: {@code 2026-11-26T04:37:00.123Z}. */
    public static String formatMillis(Instant instant) {
        long millis = instant.toEpochMilli();
        Formatted cached = last;
        if (cached.epochMilli() == millis) {
            return cached.text();
        }
        LocalDateTime time = LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000), 0, ZoneOffset.UTC);
        if (time.getYear() < 0 || time.getYear() > 9999) {
            return instant.toString();
        }
        StringBuilder text = new StringBuilder(24);
        pad(text, time.getYear(), 4).append('-');
        pad(text, time.getMonthValue(), 2).append('-');
        pad(text, time.getDayOfMonth(), 2).append('T');
        pad(text, time.getHour(), 2).append(':');
        pad(text, time.getMinute(), 2).append(':');
        pad(text, time.getSecond(), 2).append('.');
        pad(text, (int) Math.floorMod(millis, 1000), 3).append('Z');
        String formatted = text.toString();
        last = new Formatted(millis, formatted);
        return formatted;
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, or null for anything else. */
    private static Instant parseUtc(String text) {
        int length = text.length();
        if (length < FIXED_LENGTH + 1 || text.charAt(length - 1) != 'Z' || text.charAt(4) != '-' || text.charAt(7) != '-'
                || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int nanos = 0;
        if (length > FIXED_LENGTH + 1) {
            int digits = length - FIXED_LENGTH - 2;
            if (text.charAt(FIXED_LENGTH) != '.' || digits < 1 || digits > 9) {
                return null;
            }
            int fraction = digits(text, FIXED_LENGTH + 1, digits);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction * (int) Math.pow(10, 9 - digits);
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw new DateTimeParseException(e.getMessage(), text, 0);
        }
    }

    /** The number the digits at [from, from + count) spell, or -1 if one is not a digit. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static StringBuilder pad(StringBuilder text, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            text.append('0');
        }
        return text.append(digits);
    }
}
