package io.factoryhub.hub.telemetry;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Small conversions shared by the parsers, each failing with a message fit for the dead-letter topic. */
final class Values {

    private Values() {
    }

    static String text(Object body) {
        if (body instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (body == null) {
            throw new InvalidTelemetryException("empty payload");
        }
        return body.toString();
    }

    static double number(String field, String raw) {
        if (raw == null || raw.isBlank()) {
            throw new InvalidTelemetryException("missing " + field);
        }
        try {
            double value = Double.parseDouble(raw.trim());
            if (!Double.isFinite(value)) {
                throw new InvalidTelemetryException(field + " is not a finite number: '" + raw + "'");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new InvalidTelemetryException(field + " is not numeric: '" + raw + "'");
        }
    }

    /** An ISO-8601 instant or epoch milliseconds; null when absent. */
    static Instant time(String field, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String trimmed = raw.trim();
        try {
            if (Character.isDigit(trimmed.charAt(trimmed.length() - 1)) && trimmed.chars().allMatch(Character::isDigit)) {
                return Instant.ofEpochMilli(Long.parseLong(trimmed));
            }
            return IsoInstants.parse(trimmed);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new InvalidTelemetryException(field + " is neither ISO-8601 nor epoch milliseconds: '" + raw + "'");
        }
    }

    /** GOOD when absent; otherwise one of GOOD, UNCERTAIN, BAD in any case. */
    static String quality(String raw) {
        if (raw == null || raw.isBlank()) {
            return "GOOD";
        }
        String upper = raw.trim().toUpperCase(java.util.Locale.ROOT);
        if (!upper.equals("GOOD") && !upper.equals("UNCERTAIN") && !upper.equals("BAD")) {
            throw new InvalidTelemetryException("quality must be GOOD, UNCERTAIN or BAD, got '" + raw + "'");
        }
        return upper;
    }

    static String firstNonBlank(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate;
            }
        }
        return null;
    }

    static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidTelemetryException("missing " + field + " (not in the payload and no connector default)");
        }
        return value;
    }
}
