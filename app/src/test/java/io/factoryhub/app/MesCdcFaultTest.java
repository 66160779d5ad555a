package io.factoryhub.app;

import static io.factoryhub.app.support.CdcTestDatabase.json;
import static io.factoryhub.app.support.CdcTestDatabase.op;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.factoryhub.app.support.CdcTestDatabase;
import io.factoryhub.app.support.KafkaRecords;
import io.factoryhub.app.support.TestPlant;
import io.factoryhub.app.support.faults.KafkaBehindProxy;
import io.factoryhub.app.support.faults.LedgerFeed;
import io.factoryhub.app.support.faults.SequenceLedger;
import io.factoryhub.app.support.faults.SequencedInserts;
import io.factoryhub.hub.cdc.CdcEngine;
import io.factoryhub.hub.health.CdcCheck;
import io.factoryhub.plant.postgres.EmbeddedPostgres;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * MES CDC through the faults of a factory network, under a steady MES load: {@link SequencedInserts} commits one
 * sequence number per transaction (200 tx/s) into two tables in turn, and a {@link SequenceLedger} counts what
 * reached Kafka: nothing missing, each table's changes in commit order, duplicates within the bound.
 */
class MesCdcFaultTest {

    /** The one long Kafka outage the CI budget gives CDC. */
    private static final Duration KAFKA_OUTAGE = Duration.ofSeconds(180);
    private static final Duration POSTGRES_DOWN = Duration.ofSeconds(10);
    private static final int TRANSACTIONS_PER_SECOND = 200;
    /**
     * Only the batch in flight when Kafka went away is sent again (once per failed attempt, and only records that got
     * through count); no later batch is sent while it waits, and a batch is at most {@code max.batch.size}
     * (cdc/debezium.properties) change events.
     */
    private static final int DUPLICATE_BOUND = 8192;
    private static final List<String> TABLES = List.of("ledger_a", "ledger_b");

    @Test
    void should_lose_no_change_when_kafka_is_unreachable_for_three_minutes() throws Exception {
        try (KafkaBehindProxy kafka = KafkaBehindProxy.start();
             CdcTestDatabase db = CdcTestDatabase.create(TestPlant.shared(), "cdc_kafka_outage", Map.of(), kafka.bootstrapServers())) {
            SequencedInserts.createTables(db::connect, TABLES);
            CdcEngine engine = db.startEngine();
            assertEquals(CdcEngine.State.RUNNING, engine.state(), () -> engine.failure().orElse(""));
            CdcCheck health = health(engine);
            SequenceLedger ledger = new SequenceLedger("cdc");
            try (LedgerFeed feed = feed(kafka.bootstrapServers(), db, ledger);
                 SequencedInserts load = new SequencedInserts(db::connect, TABLES, TRANSACTIONS_PER_SECOND, ledger).start()) {
                awaitLedger(feed, Duration.ofSeconds(120), () -> ledger.report().received() >= 1000); // a busy machine starts CDC slowly
                assertEquals(HealthCheck.State.UP, health.call().getState());

                kafka.cut();
                long cutAt = System.nanoTime();
                long committedAtCut = load.committed();
                HealthCheck.Result down = await().atMost(KAFKA_OUTAGE).pollInterval(Duration.ofSeconds(1))
                        .until(health::call, r -> r.getState() == HealthCheck.State.DOWN);
                long downAfterS = Duration.ofNanos(System.nanoTime() - cutAt).toSeconds();
                String message = down.getMessage().orElse("");
                Thread.sleep(Math.max(0, KAFKA_OUTAGE.toMillis() - Duration.ofNanos(System.nanoTime() - cutAt).toMillis()));
                HealthCheck.Result late = health.call();
                kafka.restore();
                long restoredAt = System.nanoTime();
                long lastBeforeRestore = load.committed() - 1;

                awaitLedger(feed, KAFKA_OUTAGE.multipliedBy(2), () -> ledger.missingThrough(lastBeforeRestore) == 0);
                long backlogS = Duration.ofNanos(System.nanoTime() - restoredAt).toSeconds();
                load.close();
                awaitLedger(feed, KAFKA_OUTAGE.multipliedBy(2).minusNanos(System.nanoTime() - restoredAt),
                        () -> ledger.report().missing() == 0);
                long allS = Duration.ofNanos(System.nanoTime() - restoredAt).toSeconds();
                HealthCheck.Result after = health.call();
                System.out.printf("kafka outage %d s: health DOWN after %d s (\"%s\", %s retries at the end of the outage); "
                                + "%d transactions committed during the outage (%d tx/s); every change committed before the "
                                + "restore in Kafka %d s after it, everything %d s after it; health then %s%n",
                        KAFKA_OUTAGE.toSeconds(), downAfterS, message, late.getDetails().get("kafka_retries"),
                        lastBeforeRestore + 1 - committedAtCut, (lastBeforeRestore + 1 - committedAtCut) / KAFKA_OUTAGE.toSeconds(),
                        backlogS, allS, after.getState());

                assertTrue(message.startsWith("Kafka unreachable, retrying: "), message);
                assertEquals(HealthCheck.State.DOWN, late.getState(), () -> late.getMessage().orElse(""));
                // the batch in flight waits in the producer (retried in order, no delivery timeout): reported, not resent
                assertEquals("RETRYING", late.getDetails().get("state"), late.getDetails()::toString);
                assertEquals(HealthCheck.State.UP, after.getState(), () -> after.getMessage().orElse(""));
                assertEquals(CdcEngine.State.RUNNING, engine.state(), () -> engine.failure().orElse(""));
                assertLedger(ledger);
            } finally {
                System.out.println(ledger.report());
            }
        }
    }

    @Test
    void should_lose_no_change_when_postgres_restarts() throws Exception {
        try (CdcTestDatabase db = CdcTestDatabase.create(TestPlant.shared(), "cdc_pg_outage", Map.of())) {
            SequencedInserts.createTables(db::connect, TABLES);
            CdcEngine engine = db.startEngine();
            assertEquals(CdcEngine.State.RUNNING, engine.state(), () -> engine.failure().orElse(""));
            SequenceLedger ledger = new SequenceLedger("cdc");
            EmbeddedPostgres pg = TestPlant.shared().postgres();
            try (LedgerFeed feed = feed(TestPlant.shared().bootstrapServers(), db, ledger);
                 SequencedInserts load = new SequencedInserts(db::connect, TABLES, TRANSACTIONS_PER_SECOND, ledger).start()) {
                awaitLedger(feed, Duration.ofSeconds(120), () -> ledger.report().received() >= 1000); // a busy machine starts CDC slowly

                pg.close();
                long committedWhileDown = load.committed();
                try {
                    Thread.sleep(POSTGRES_DOWN.toMillis());
                    committedWhileDown = load.committed() - committedWhileDown;
                } finally {
                    pg.start(); // the other tests share this server
                }
                long restartedAt = System.nanoTime();
                long before = load.committed();
                awaitLedger(feed, Duration.ofSeconds(60), () -> load.committed() >= before + 1000);
                load.close();
                awaitLedger(feed, Duration.ofSeconds(120), () -> ledger.report().missing() == 0);
                System.out.printf("postgres down %d s: %d transactions committed while down, %d failed attempts; every "
                                + "change in Kafka %d s after the restart%n", POSTGRES_DOWN.toSeconds(), committedWhileDown,
                        load.failures(), Duration.ofNanos(System.nanoTime() - restartedAt).toSeconds());

                assertTrue(load.failures() > 0, "the load never saw PostgreSQL go away");
                assertEquals(0, committedWhileDown, "PostgreSQL took transactions while stopped");
                assertEquals(CdcEngine.State.RUNNING, engine.state(), () -> engine.failure().orElse(""));
                assertLedger(ledger);
            } finally {
                System.out.println(ledger.report());
            }
        }
    }

    @Test
    void should_stream_once_kafka_is_back_when_cdc_started_without_it() throws Exception {
        try (KafkaBehindProxy kafka = KafkaBehindProxy.start();
             CdcTestDatabase db = CdcTestDatabase.create(TestPlant.shared(), "cdc_start_no_kafka", Map.of(), kafka.bootstrapServers());
             KafkaRecords equipment = db.records("equipment")) {
            SequencedInserts.createTables(db::connect, TABLES);
            kafka.cut();
            CdcEngine engine = db.startEngine();
            CdcCheck health = health(engine);
            SequenceLedger ledger = new SequenceLedger("cdc");
            try (LedgerFeed feed = feed(kafka.bootstrapServers(), db, ledger);
                 SequencedInserts load = new SequencedInserts(db::connect, TABLES, TRANSACTIONS_PER_SECOND, ledger).start()) {
                // the snapshot's first batch needs its topics created: that is what waits for Kafka
                HealthCheck.Result down = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                        .until(health::call, r -> r.getState() == HealthCheck.State.DOWN);
                kafka.restore();
                long restoredAt = System.nanoTime();
                awaitLedger(feed, Duration.ofSeconds(60), () -> load.committed() >= 1000);
                load.close();
                // within seconds as a rule; the bound is the writer's: a producer silent for 60 s is replaced
                awaitLedger(feed, Duration.ofSeconds(150), () -> ledger.report().missing() == 0);
                System.out.printf("CDC started without Kafka: health \"%s\"; every change in Kafka %d s after it came back%n",
                        down.getMessage().orElse(""), Duration.ofNanos(System.nanoTime() - restoredAt).toSeconds());

                assertTrue(down.getMessage().orElse("").startsWith("Kafka unreachable, retrying: "), down.getMessage()::toString);
                // at least once: a batch the stalled first producer did deliver is sent whole again by its replacement
                equipment.await(op("r"), 6, Duration.ofSeconds(30));
                List<ConsumerRecord<String, String>> snapshot = equipment.settle(op("r"), Duration.ofSeconds(3));
                Map<String, Long> copies = snapshot.stream().collect(Collectors.groupingBy(
                        r -> json(r).path("after").path("equipment_id").asText(), Collectors.counting()));
                System.out.println("snapshot rows in Kafka, copies of each: " + copies);
                assertEquals(6, copies.size(), () -> "the snapshot's rows: " + copies);
                assertEquals(HealthCheck.State.UP, health.call().getState());
                assertLedger(ledger);
            } finally {
                System.out.println(ledger.report());
            }
        }
    }

    @Test
    void should_stop_and_skip_nothing_when_kafka_refuses_a_change_for_good() throws Exception {
        try (CdcTestDatabase db = CdcTestDatabase.create(TestPlant.shared(), "cdc_refused", Map.of());
             KafkaRecords rows = db.records("ledger_a")) {
            SequencedInserts.createTables(db::connect, List.of("ledger_a"));
            db.execute("CREATE TABLE oversized (id int PRIMARY KEY, payload text)");
            CdcEngine engine = db.startEngine();
            assertEquals(CdcEngine.State.RUNNING, engine.state(), () -> engine.failure().orElse(""));
            db.execute("INSERT INTO ledger_a (seq) VALUES (1)");
            rows.await(op("c"), 1, Duration.ofSeconds(60));
            // above the producer's max.request.size (1 MiB): Kafka will never take this change
            db.execute("INSERT INTO oversized VALUES (1, repeat('x', 2000000))", "INSERT INTO ledger_a (seq) VALUES (2)");
            await().atMost(Duration.ofSeconds(60)).until(() -> engine.state() == CdcEngine.State.FAILED);
            String failure = engine.failure().orElse("");
            db.stopEngine();
            CdcEngine again = db.startEngine();
            await().atMost(Duration.ofSeconds(60)).until(() -> again.state() == CdcEngine.State.FAILED);
            System.out.printf("refused change: \"%s\"; after a restart: \"%s\"%n", failure, again.failure().orElse(""));

            assertTrue(failure.contains("refused change events for good (RecordTooLargeException"), failure);
            assertTrue(again.failure().orElse("").contains("RecordTooLargeException"), "the restart met the same change again: "
                    + again.failure().orElse(""));
            assertEquals(1, rows.settle(op("c"), Duration.ofSeconds(3)).size(), "the change after the refused one is not in Kafka");
        }
    }

    private static void assertLedger(SequenceLedger ledger) {
        SequenceLedger.Report report = ledger.report();
        assertEquals(0, report.missing(), report::toString);
        assertEquals(0, report.unexpected(), report::toString);
        assertEquals(0, report.outOfOrder(), report::toString);
        assertTrue(report.duplicates() <= DUPLICATE_BOUND, report::toString);
    }

    /** CDC's readiness check, as /health runs it. */
    private static CdcCheck health(CdcEngine engine) {
        CdcCheck check = new CdcCheck(engine);
        check.setCamelContext(new DefaultCamelContext());
        return check;
    }

    /** Reads Kafka into the ledger until {@code done} (the feed's consumer stays on this thread). */
    private static void awaitLedger(LedgerFeed feed, Duration atMost, BooleanSupplier done) {
        await().atMost(atMost).pollInSameThread().pollInterval(Duration.ofMillis(10)).until(() -> {
            feed.poll();
            return done.getAsBoolean();
        });
    }

    /** Inserts of the load tables, by table, with their sequence number; the rest (BEGIN/END markers) not counted. */
    private static LedgerFeed feed(String bootstrapServers, CdcTestDatabase db, SequenceLedger ledger) {
        return new LedgerFeed(bootstrapServers, TABLES.stream().map(db::topic).toList(), ledger, MesCdcFaultTest::entry);
    }

    private static Optional<LedgerFeed.Entry> entry(ConsumerRecord<String, String> record) {
        JsonNode change = json(record);
        // a row the snapshot met already (op r) counts like a streamed insert (op c)
        if (change == null || !List.of("c", "r").contains(change.path("op").asText())) {
            return Optional.empty();
        }
        return Optional.of(new LedgerFeed.Entry(change.path("source").path("table").asText(), change.path("after").path("seq").asLong()));
    }
}
