package io.factoryhub.hub.streams.oee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The OEE definitions on known inputs, figures worked out by hand. */
class OeeCalculationTest {

    private static final double EXACT = 1e-12;
    private static final Set<String> DOWN = Set.of("OFFLINE", "STOPPED");
    private static final long START = ms("08:00:00");
    private static final long END = ms("08:15:00");

    @Test
    void should_count_overlapping_state_and_mes_downtime_once() {
        MachineOee press = new MachineOee();
        press.stateChanged(ms("07:59:00"), "OFFLINE", "ACTIVE");
        press.stateChanged(ms("08:05:00"), "ACTIVE", "STOPPED");
        press.stateChanged(ms("08:05:30"), "STOPPED", "ACTIVE");
        // unplanned, 08:05:15-08:06:00: with the stop, down 08:05:00-08:06:00 = 60 s
        press.downtimes.put("1", new MachineOee.Downtime(ms("08:05:15"), ms("08:06:00"), false));
        press.counts.put("1", new MachineOee.Count(ms("08:07:00"), 150, 2, 2400));
        press.counts.put("2", new MachineOee.Count(ms("08:14:59"), 144, 4, 2400));
        press.counts.put("3", new MachineOee.Count(END, 500, 0, 2400));

        OeeFigures figures = OeeCalculation.of(press, START, END, DOWN);

        assertEquals(900_000, figures.plannedTimeMs());
        assertEquals(60_000, figures.downtimeMs());
        assertEquals(30_000, figures.stateDowntimeMs());
        assertEquals(45_000, figures.mesDowntimeMs());
        assertEquals(840_000, figures.runTimeMs());
        assertEquals(300, figures.totalCount());
        assertEquals(720_000, figures.idealTimeMs());
        assertEquals(840.0 / 900, figures.availability(), EXACT);
        assertEquals(720.0 / 840, figures.performance(), EXACT);
        assertEquals(0.98, figures.quality(), EXACT);
        // = good parts x ideal cycle / planned time = 294 x 2.4 s / 900 s
        assertEquals(0.784, figures.oee(), EXACT);
    }

    @Test
    void should_leave_planned_downtime_out_of_planned_time_and_downtime() {
        MachineOee mill = new MachineOee();
        mill.stateChanged(ms("07:00:00"), null, "ACTIVE");
        // tool change 08:10-08:12, the machine stopped 08:11-08:13: only 08:12-08:13 is downtime
        mill.downtimes.put("7", new MachineOee.Downtime(ms("08:10:00"), ms("08:12:00"), true));
        mill.stateChanged(ms("08:11:00"), "ACTIVE", "STOPPED");
        mill.stateChanged(ms("08:13:00"), "STOPPED", "ACTIVE");
        mill.counts.put("1", new MachineOee.Count(ms("08:09:00"), 300, 0, 2400));

        OeeFigures figures = OeeCalculation.of(mill, START, END, DOWN);

        assertEquals(120_000, figures.plannedDowntimeMs());
        assertEquals(780_000, figures.plannedTimeMs());
        assertEquals(60_000, figures.downtimeMs());
        assertEquals(720_000, figures.runTimeMs());
        assertEquals(1.0 * 720 / 780, figures.availability(), EXACT);
        assertEquals(1.0, figures.performance(), EXACT);
        assertEquals(1.0, figures.quality(), EXACT);
        assertEquals(1.0 * 720 / 780, figures.oee(), EXACT);
    }

    @Test
    void should_count_an_open_downtime_and_an_offline_machine_to_the_window_end() {
        MachineOee lathe = new MachineOee();
        lathe.stateChanged(ms("08:00:00"), null, "ACTIVE");
        lathe.stateChanged(ms("08:12:00"), "ACTIVE", "OFFLINE");
        lathe.downtimes.put("9", new MachineOee.Downtime(ms("08:10:00"), null, false));

        OeeFigures figures = OeeCalculation.of(lathe, START, END, DOWN);

        assertEquals(300_000, figures.downtimeMs(), "08:10 to the window's end");
        assertEquals(180_000, figures.stateDowntimeMs());
        assertEquals(0.0, figures.performance(), EXACT, "ran 10 minutes, counted nothing");
        assertNull(figures.quality());
        assertEquals(0.0, figures.oee(), EXACT);
    }

    @Test
    void should_take_the_state_before_a_machines_first_event_from_it() {
        MachineOee robot = new MachineOee();
        robot.stateChanged(ms("08:03:00"), "OFFLINE", "ACTIVE");
        MachineOee unknown = new MachineOee();
        unknown.stateChanged(ms("08:03:00"), null, "ACTIVE");

        assertEquals(180_000, OeeCalculation.of(robot, START, END, DOWN).downtimeMs());
        assertEquals(0, OeeCalculation.of(unknown, START, END, DOWN).downtimeMs(), "a state not known is not downtime");
    }

    @Test
    void should_have_nothing_to_report_for_a_machine_offline_all_window_unless_the_mes_says_something() {
        MachineOee press = new MachineOee();
        press.stateChanged(ms("07:50:00"), "ACTIVE", "OFFLINE");
        assertTrue(press.silentThroughout(START, END, "OFFLINE"));
        press.downtimes.put("1", new MachineOee.Downtime(ms("07:40:00"), null, true));
        assertFalse(press.silentThroughout(START, END, "OFFLINE"), "an open downtime covers it");
        MachineOee back = new MachineOee();
        back.stateChanged(ms("07:50:00"), "ACTIVE", "OFFLINE");
        back.stateChanged(ms("08:14:00"), "OFFLINE", "ACTIVE");
        assertFalse(back.silentThroughout(START, END, "OFFLINE"));
        MachineOee mesOnly = new MachineOee();
        mesOnly.counts.put("1", new MachineOee.Count(ms("07:00:00"), 10, 0, 2400));
        assertTrue(mesOnly.silentThroughout(START, END, "OFFLINE"), "an old count, no state: nothing known of 08:00");
        assertFalse(mesOnly.silentThroughout(ms("07:00:00"), ms("07:15:00"), "OFFLINE"));
        MachineOee running = new MachineOee();
        running.stateChanged(ms("07:50:00"), "OFFLINE", "ACTIVE");
        assertTrue(running.silentThroughout(START, END, "OFFLINE"), "ACTIVE, but no reading since");
        running.readingQuarters.add(START);
        assertFalse(running.silentThroughout(START, END, "OFFLINE"));
    }

    @Test
    void should_sum_a_line_machine_by_machine() {
        OeeFigures press = new OeeFigures(900_000, 0, 60_000, 30_000, 45_000, 294, 6, 720_000);
        OeeFigures mill = new OeeFigures(900_000, 120_000, 0, 0, 0, 300, 0, 720_000);

        OeeFigures line = press.plus(mill);

        assertEquals(1_680_000, line.plannedTimeMs());
        assertEquals(1_620_000, line.runTimeMs());
        assertEquals(1620.0 / 1680, line.availability(), EXACT);
        assertEquals(1440.0 / 1620, line.performance(), EXACT);
        assertEquals(0.99, line.quality(), EXACT);
        assertEquals(1440.0 / 1680 * 0.99, line.oee(), EXACT);
        assertEquals(2400.0, line.idealCycleMs(), EXACT);
    }

    @Test
    void should_have_no_factors_for_a_window_that_was_all_planned_downtime() {
        OeeFigures holiday = new OeeFigures(900_000, 900_000, 0, 0, 0, 0, 0, 0);
        assertNull(holiday.availability());
        assertNull(holiday.performance());
        assertNull(holiday.oee());
    }

    @Test
    void should_keep_its_inputs_through_the_store() {
        MachineOee press = new MachineOee();
        press.site = "plant-a";
        press.stateChanged(ms("08:05:00"), "ACTIVE", "STOPPED");
        press.downtimes.put("1", new MachineOee.Downtime(ms("08:05:15"), null, false));
        press.counts.put("1", new MachineOee.Count(ms("08:07:00"), 150, 2, 2400));
        press.nextWindow(OeeWindow.HOUR.sizeMs());
        MachineOeeSerde serde = new MachineOeeSerde();

        MachineOee copy = serde.deserializer().deserialize("t", serde.serializer().serialize("t", press));

        assertEquals("plant-a", copy.site);
        assertEquals(press.states, copy.states);
        assertEquals(press.downtimes, copy.downtimes);
        assertEquals(press.counts, copy.counts);
        assertEquals(press.nextWindow, copy.nextWindow);
        assertEquals(press.firstMs, copy.firstMs);
    }

    private static long ms(String time) {
        return Instant.parse("2026-11-23T" + time + "Z").toEpochMilli();
    }
}
