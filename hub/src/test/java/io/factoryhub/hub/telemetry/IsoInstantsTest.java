package io.factoryhub.hub.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fast paths agree with java.time on every form, and fall back to it for the others. */
class IsoInstantsTest {

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-26T04:37:00Z", "2026-11-26T04:37:00.1Z", "2026-11-26T04:37:00.123Z",
            "2026-11-26T04:37:00.1234567Z", "2026-11-26T04:37:00.123456789Z", "1970-01-01T00:00:00Z",
            "2024-02-29T23:59:59.999Z", "2026-11-26T05:37:00+01:00"})
    void should_parse_as_java_time_does(String text) {
        assertEquals(Instant.parse(text), IsoInstants.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-13-26T04:37:00Z", "2026-02-30T04:37:00Z", "2026-11-26 04:37:00Z", "yesterday"})
    void should_refuse_what_java_time_refuses(String text) {
        assertThrows(DateTimeParseException.class, () -> Instant.parse(text));
        assertThrows(DateTimeParseException.class, () -> IsoInstants.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-26T04:37:00Z", "2026-11-26T04:37:00.120Z", "1999-12-31T23:59:59.999Z", "2026-11-26T04:37:00.1234567Z"})
    void should_format_the_same_instant(String text) {
        Instant instant = Instant.parse(text);
        assertEquals(instant, Instant.parse(IsoInstants.format(instant)));
        assertEquals(instant, Instant.parse(IsoInstants.format(instant)), "from the cache too");
    }

    @org.junit.jupiter.api.Test
    void should_truncate_to_milliseconds_with_three_digits() {
        assertEquals("2026-11-26T04:37:00.000Z", IsoInstants.formatMillis(Instant.parse("2026-11-26T04:37:00Z")));
        assertEquals("2026-11-26T04:37:00.123Z", IsoInstants.formatMillis(Instant.parse("2026-11-26T04:37:00.123999Z")));
    }
}
