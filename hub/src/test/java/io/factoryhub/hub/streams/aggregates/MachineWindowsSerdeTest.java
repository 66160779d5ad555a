package io.factoryhub.hub.streams.aggregates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.factoryhub.hub.streams.Reading;
import org.junit.jupiter.api.Test;

/** A machine's open windows through the store's bytes and back, and the statistics they keep. */
class MachineWindowsSerdeTest {

    private final MachineWindowsSerde serde = new MachineWindowsSerde();

    @Test
    void should_keep_every_window_and_tag_through_the_store() {
        MachineWindows windows = new MachineWindows();
        windows.byStart.put(60_000L, new TagWindow().add(reading("temperature", 70, "°C", "line-ü"))
                .add(reading("temperature", 72, "°C", "line-ü")).add(reading("vibration", 2.0, null, null)));
        windows.byStart.put(120_000L, new TagWindow().add(reading("temperature", 75, "°C", "line-ü")));

        MachineWindows copy = serde.deserializer().deserialize("t", serde.serializer().serialize("t", windows));

        assertEquals(windows.byStart.keySet(), copy.byStart.keySet());
        TagWindow first = copy.byStart.get(60_000L);
        assertEquals("line-ü", first.line);
        assertEquals("plant-a", first.site);
        TagStats temperature = first.tags.get("temperature");
        assertEquals(2, temperature.count);
        assertEquals(70, temperature.min);
        assertEquals(72, temperature.max);
        assertEquals(71, temperature.mean);
        assertEquals(1.0, temperature.stddev());
        assertEquals("°C", temperature.unit);
        assertNull(first.tags.get("vibration").unit);
        assertEquals(1, copy.byStart.get(120_000L).tags.get("temperature").count);
    }

    private static Reading reading(String tag, double value, String unit, String line) {
        return new Reading("press-01", "dev-1", tag, value, unit, "GOOD", 0, "plant-a", line, "c");
    }
}
