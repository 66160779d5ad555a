package io.factoryhub.hub.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A line's OEE as the page reads it from factory.line.oee; what is not one is refused with the reason. */
class LineOeeTest {

    @Test
    void should_read_the_factors_and_the_windows_length() throws Exception {
        LineOee oee = LineOee.of(json("{\"scope\":\"line\",\"machines\":[\"press-01\"],\"site\":\"plant-a\",\"line\":\"line-1\","
                + "\"window\":\"15m\",\"windowStart\":\"2026-11-22T10:00:00Z\",\"windowEnd\":\"2026-11-22T10:15:00Z\",\"availability\":0.9,"
                + "\"performance\":0.8,\"quality\":0.95,\"oee\":0.684,\"inputs\":{\"goodCount\":95}}"));
        assertEquals(new LineOee("plant-a", "line-1", 15, at("2026-11-22T10:00:00Z"), at("2026-11-22T10:15:00Z"), 0.9, 0.8, 0.95, 0.684), oee);
    }

    @Test
    void should_leave_out_a_machines_oee() throws Exception {
        assertNull(LineOee.of(json("{\"scope\":\"machine\",\"machineId\":\"press-01\",\"line\":\"line-1\"}")));
    }

    @Test
    void should_read_a_window_without_a_figure_as_null() throws Exception {
        LineOee oee = LineOee.of(json("{\"scope\":\"line\",\"line\":\"line-1\",\"windowStart\":\"2026-11-22T10:00:00Z\","
                + "\"windowEnd\":\"2026-11-22T11:00:00Z\",\"availability\":null,\"performance\":null,\"quality\":0.9,\"oee\":null}"));
        assertEquals(60, oee.minutes());
        assertNull(oee.availability());
        assertNull(oee.oee());
    }

    @Test
    void should_refuse_a_record_without_its_window_or_a_factor() {
        assertEquals("a line's OEE record without line, windowStart or windowEnd", assertThrows(IOException.class,
                () -> LineOee.of(json("{\"scope\":\"line\",\"line\":\"line-1\",\"window\":\"15m\",\"availability\":0.9}"))).getMessage());
        assertEquals("a line's OEE record without oee", assertThrows(IOException.class, () -> LineOee.of(json("{\"scope\":\"line\","
                + "\"line\":\"line-1\",\"windowStart\":\"2026-11-22T10:00:00Z\",\"windowEnd\":\"2026-11-22T11:00:00Z\","
                + "\"availability\":0.9,\"performance\":0.8,\"quality\":0.95}"))).getMessage());
    }

    private static long at(String iso) {
        return java.time.Instant.parse(iso).toEpochMilli();
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
