package io.factoryhub.app;

import static io.factoryhub.app.support.CdcTestDatabase.json;
import static io.factoryhub.app.support.CdcTestDatabase.op;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.factoryhub.app.support.CdcEngineProcess;
import io.factoryhub.app.support.CdcTestDatabase;
import io.factoryhub.app.support.KafkaRecords;
import io.factoryhub.app.support.TestPlant;
import io.factoryhub.hub.cdc.CdcEngine;
import io.factoryhub.plant.postgres.EmbeddedPostgres;
import io.factoryhub.testkit.Waits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * No committed change is lost when the hub crashes mid-load or PostgreSQL restarts mid-stream. Each load transaction
 * inserts a production count and updates its work order: two change events, commit order known to the test.
 */
class MesCdcRecoveryTest {

    /** The documented duplicate bound after a crash: the batch in flight (max.batch.size in cdc/debezium.properties). */
    private static final int DUPLICATE_BOUND = 8192;

    @Test
    void should_deliver_every_committed_change_after_the_hub_is_killed_mid_load() throws Exception {
        try (CdcTestDatabase db = CdcTestDatabase.create(TestPlant.shared(), "cdc_crash", Map.of());
             KafkaRecords counts = db.records("production_counts")) {
            java.nio.file.Path log = db.dir().resolve("cdc-process.log");
            CdcEngineProcess hub = CdcEngineProcess.start(db.configFile(), log);
            counts.await(op("r"), 6, Duration.ofSeconds(60));
            Load load = new Load(db).start();
            load.awaitCommitted(1_000);
            hub.kill();
            int committedAtKill = load.committed.size();
            load.awaitCommitted(3_000);
            load.stop();
            hub = CdcEngineProcess.start(db.configFile(), log);
            try {
                Map<Long, Integer> copies = awaitEveryRow(counts, load.committed);
                long duplicates = copies.values().stream().filter(n -> n > 1).count();
                System.out.printf("crash test: %d transactions (%d before the kill), %d duplicate events (bound %d)%n",
                        load.committed.size(), committedAtKill, duplicates, DUPLICATE_BOUND);
                assertTrue(duplicates <= DUPLICATE_BOUND, duplicates + " duplicates");
                // a kill while offsets were written once made the restart snapshot every row again (op=r)
                assertEquals(6, counts.settle(op("r"), Duration.ofMillis(1)).size(), "the restart resumed, no second snapshot");
                assertOrderUpdatesComplete(db, load.committed.size());
            } finally {
                hub.close();
            }
        }
    }

    @Test
    void should_resume_after_postgres_restarts_mid_stream() throws Exception {
        try (CdcTestDatabase db = CdcTestDatabase.create(TestPlant.shared(), "cdc_pg_restart", Map.of());
             KafkaRecords counts = db.records("production_counts")) {
            CdcEngine engine = db.startEngine();
            assertEquals(CdcEngine.State.RUNNING, engine.state(), () -> engine.failure().orElse(""));
            // streaming, not snapshotting: a restart during the snapshot repeats it (rows as op=r), which is another story
            counts.await(op("r"), 6, Duration.ofSeconds(60));
            Load load = new Load(db).start();
            load.awaitCommitted(300);
            EmbeddedPostgres pg = TestPlant.shared().postgres();
            pg.close();
            CdcTestDatabase.sleep(1000);
            pg.start();
            load.awaitCommitted(load.committed.size() + 300);
            load.stop();
            awaitEveryRow(counts, load.committed);
            assertEquals(CdcEngine.State.RUNNING, engine.state(), () -> engine.failure().orElse(""));
        }
    }

    /** Waits until every committed row is in Kafka as an insert (duplicates count towards await's total); its copies. */
    private static Map<Long, Integer> awaitEveryRow(KafkaRecords counts, Set<Long> committed) {
        counts.await(op("c"), committed.size(), Duration.ofSeconds(90));
        Map<Long, Integer> copies = new HashMap<>();
        Waits.within(Duration.ofSeconds(60), Waits.BACK_TO_BACK, () -> {
            copies.clear();
            for (ConsumerRecord<String, String> r : counts.settle(op("c"), Duration.ofMillis(500))) {
                copies.merge(json(r).path("after").path("count_id").asLong(), 1, Integer::sum);
            }
            return copies.keySet().containsAll(committed);
        });
        assertTrue(copies.keySet().containsAll(committed), "missing: " + missing(committed, copies.keySet()));
        return copies;
    }

    /** Every increment of work order 2's quantity_good (seed: 1210) is in Kafka as an update. */
    private static void assertOrderUpdatesComplete(CdcTestDatabase db, int transactions) {
        try (KafkaRecords orders = db.records("work_orders")) {
            List<ConsumerRecord<String, String>> updates = orders.await(op("u").and(CdcTestDatabase.key("work_order_id", 2)),
                    transactions, Duration.ofSeconds(60));
            Set<Integer> values = new TreeSet<>();
            updates.forEach(r -> values.add(json(r).path("after").path("quantity_good").asInt()));
            for (int v = 1211; v <= 1210 + transactions; v++) {
                assertTrue(values.contains(v), "no update to quantity_good=" + v);
            }
        }
    }

    private static Set<Long> missing(Set<Long> committed, Set<Long> seen) {
        Set<Long> missing = new TreeSet<>(committed);
        missing.removeAll(seen);
        return missing;
    }

    /** One writer, as fast as it goes, retrying through a database restart; remembers what committed. */
    private static final class Load {
        final Set<Long> committed = new ConcurrentSkipListSet<>();
        private final CdcTestDatabase db;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Load(CdcTestDatabase db) {
            this.db = db;
            this.thread = new Thread(this::run, "mes-load");
        }

        Load start() {
            thread.start();
            return this;
        }

        void awaitCommitted(int n) {
            Waits.atMost(Duration.ofSeconds(120))
                    .untilAsserted(() -> assertTrue(committed.size() >= n, "load reached only " + committed.size() + " of " + n));
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }

        private void run() {
            while (running.get()) {
                try (Connection c = db.connect()) {
                    c.setAutoCommit(false);
                    try (PreparedStatement insert = c.prepareStatement("INSERT INTO production_counts (work_order_id, equipment_id, "
                            + "good_count, scrap_count, cycle_time_ms) VALUES (2, 'press-01', 1, 0, 2450) RETURNING count_id");
                         PreparedStatement update = c.prepareStatement("UPDATE work_orders SET quantity_good = quantity_good + 1, "
                                 + "updated_at = now() WHERE work_order_id = 2")) {
                        while (running.get()) {
                            long id;
                            try (ResultSet rs = insert.executeQuery()) {
                                rs.next();
                                id = rs.getLong(1);
                            }
                            update.executeUpdate();
                            c.commit();
                            committed.add(id);
                        }
                    }
                } catch (SQLException e) {
                    // PostgreSQL restarting: the open transaction is lost (not committed), reconnect and go on
                    CdcTestDatabase.sleep(200);
                }
            }
        }
    }
}
