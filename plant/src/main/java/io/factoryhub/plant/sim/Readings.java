package io.factoryhub.plant.sim;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Formatting shared by the sinks, so JSON and CSV show the same value for the same reading. */
final class Readings {

    /** Always millisecond precision; {@link Instant#toString()} drops ".000" and may show nanos. */
    private static final DateTimeFormatter MILLIS_UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Readings() {
    }

    /** Three decimals, plain notation (no exponent), e.g. {@code 4.213}. */
    static String number(double value) {
        return BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    static String timestamp(Instant instant) {
        return MILLIS_UTC.format(instant);
    }

    /** A JSON string literal; ids and units are plain ASCII, but escape quotes and controls anyway. */
    static String jsonString(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
