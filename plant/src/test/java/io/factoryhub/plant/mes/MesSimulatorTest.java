package io.factoryhub.plant.mes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.factoryhub.plant.postgres.EmbeddedPostgres;
import io.factoryhub.testkit.FreePorts;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulated MES against the real schema and seed: its counts book no more parts than the machine's ideal cycle
 * time allows in the time it ran (an OEE performance above 1 would be the simulator's, not the hub's), the press
 * makes parts at close to its cycle, and the seed's open maintenance downtime ends once the machine runs an order.
 */
class MesSimulatorTest {

    private static final Path CDC = Path.of("..", "cdc");

    @Test
    void should_book_parts_at_the_machines_cycle_time_and_end_the_seeded_maintenance(@TempDir Path dir) throws Exception {
        try (EmbeddedPostgres pg = new EmbeddedPostgres(dir.resolve("postgres"), FreePorts.next(), "mes", "mes", "pw",
                "superuser-pw", "dbz_mes", List.of(CDC.resolve("mes-schema.sql"), CDC.resolve("mes-seed.sql"))).start()) {
            List<String> machines = List.of("press-01", "press-02", "mill-04");
            long started = System.currentTimeMillis();
            try (MesSimulator simulator = new MesSimulator(pg.jdbcUrl(), "mes", "pw", machines, 200).start()) {
                Thread.sleep(30_000);
                simulator.close();
                assertEquals(0, simulator.failed());
            }
            double ranMs = System.currentTimeMillis() - started;
            try (Connection c = pg.connect(); Statement s = c.createStatement()) {
                for (String press : List.of("press-01", "press-02")) {
                    double idealMs = idealTimeBooked(s, press);
                    System.out.printf("%s: ideal time of the parts booked %.0f ms in %.0f ms%n", press, idealMs, ranMs);
                    assertTrue(idealMs <= ranMs, press + ": " + idealMs + " ms of ideal time in " + ranMs + " ms");
                    assertTrue(idealMs >= 0.7 * ranMs, press + ": " + idealMs + " ms of ideal time in " + ranMs + " ms");
                }
                assertEquals(0.0, idealTimeBooked(s, "mill-04"), "a 96 s cycle: no part in 30 s");
                try (ResultSet open = s.executeQuery("SELECT count(*) FROM downtime_events WHERE ended_at IS NULL")) {
                    open.next();
                    assertEquals(0, open.getInt(1), "mill-04's seeded maintenance ended with its new order");
                }
            }
        }
    }

    /** Σ (good + scrap) x the product's ideal cycle over the counts the simulator booked (the seed's are older). */
    private static double idealTimeBooked(Statement s, String machine) throws Exception {
        try (ResultSet rs = s.executeQuery("SELECT coalesce(sum((pc.good_count + pc.scrap_count) * p.ideal_cycle_ms), 0) "
                + "FROM production_counts pc JOIN work_orders w USING (work_order_id) JOIN products p USING (product_code) "
                + "WHERE pc.equipment_id = '" + machine + "' AND pc.counted_at > now() - interval '1 hour'")) {
            rs.next();
            return rs.getDouble(1);
        }
    }
}
