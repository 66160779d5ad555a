package io.factoryhub.plant.mes;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shop-floor activity in the MES database, as the machines of the simulated plant would cause it: a machine without
 * a running work order starts one; a running one reports production counts (which advance the order, and complete
 * it at its planned quantity), quality checks (a failed part is scrap) and now and then a downtime. Each is one
 * multi-statement transaction, like a real MES writes them.
 *
 * <p>The figures hold together in time, so OEE computed from them is plausible: a count books the parts the machine
 * made since its previous one at its product's cycle time (a little slower than the ideal), and books nothing while
 * a downtime is open; a downtime opens at most every {@link #DOWNTIME_GAP_MS} per machine, lasts 30 s to 3 min and is
 * closed by a later transaction. A machine's open downtimes from before (the seed's maintenance) end when it starts
 * its next order.
 *
 * <p>One thread, {@code transactionsPerSecond} spread evenly; a failed transaction (e.g. PostgreSQL restarting) is
 * rolled back, logged at most every 10 s, and the connection opened again on the next tick.
 */
public final class MesSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MesSimulator.class);
    /** The least time between the end of a machine's downtime and the start of its next. */
    static final long DOWNTIME_GAP_MS = 10 * 60_000;

    private final String jdbcUrl;
    private final Properties credentials = new Properties();
    private final List<String> machineIds;
    private final double transactionsPerSecond;
    private final SplittableRandom random = new SplittableRandom();
    private final Map<String, Long> runningOrder = new HashMap<>();
    private final Map<String, MachineClock> clocks = new HashMap<>();
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private ScheduledExecutorService scheduler;
    private Connection connection;
    private long lastFailureLog;

    public MesSimulator(String jdbcUrl, String user, String password, List<String> machineIds, double transactionsPerSecond) {
        if (transactionsPerSecond <= 0) {
            throw new IllegalArgumentException("transactions per second must be > 0, got " + transactionsPerSecond);
        }
        this.jdbcUrl = jdbcUrl;
        credentials.setProperty("user", user);
        credentials.setProperty("password", password);
        credentials.setProperty("ApplicationName", "factory-hub-mes-simulator");
        this.machineIds = List.copyOf(machineIds);
        this.transactionsPerSecond = transactionsPerSecond;
    }

    public synchronized MesSimulator start() {
        // one tick per millisecond at most; above 1,000 tx/s a tick runs several transactions
        long periodMicros = Math.max(1000, Math.round(1_000_000 / transactionsPerSecond));
        double perTick = transactionsPerSecond * periodMicros / 1_000_000.0;
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "mes-simulator"));
        double[] carry = {0};
        scheduler.scheduleAtFixedRate(() -> {
            carry[0] += perTick;
            while (carry[0] >= 1) {
                carry[0] -= 1;
                runOne();
            }
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
        LOG.info("MES simulator: {} transactions/s on {} machines", transactionsPerSecond, machineIds.size());
        return this;
    }

    /** Transactions committed so far. */
    public long committed() {
        return committed.get();
    }

    public long failed() {
        return failed.get();
    }

    /** One transaction for a random machine; never throws (the scheduler would stop). */
    void runOne() {
        String machine = machineIds.get(random.nextInt(machineIds.size()));
        try {
            Connection c = connection();
            try {
                step(c, machine);
                c.commit();
                committed.incrementAndGet();
            } catch (SQLException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            failed.incrementAndGet();
            closeConnection();
            runningOrder.clear();
            clocks.clear(); // a downtime it opened stays open until the machine's next order closes it
            long now = System.currentTimeMillis();
            if (now - lastFailureLog > 10_000) {
                lastFailureLog = now;
                LOG.warn("MES simulator: transaction failed ({} so far): {}", failed.get(), e.getMessage());
            }
        }
    }

    private void step(Connection c, String machine) throws SQLException {
        long now = System.currentTimeMillis();
        MachineClock clock = clocks.computeIfAbsent(machine, m -> new MachineClock(now));
        if (clock.downtimeId != null) {
            if (now >= clock.downtimeEndsAt) {
                endDowntime(c, machine, clock, now);
            }
            return; // a stopped machine books nothing
        }
        Long order = runningOrder.computeIfAbsent(machine, m -> findRunningOrder(c, m));
        if (order == null || order < 0) {
            runningOrder.put(machine, startOrder(c, machine));
            clock.lastCountAt = now;
            return;
        }
        int dice = random.nextInt(100);
        if (dice < 70 || (dice >= 95 && now - clock.lastDowntimeEnd < DOWNTIME_GAP_MS)) {
            if (count(c, machine, order, clock, now)) {
                runningOrder.remove(machine);
            }
        } else if (dice < 95) {
            qualityCheck(c, machine, order);
        } else {
            startDowntime(c, machine, clock, now);
        }
    }

    /** -1 when the machine has none (computeIfAbsent cannot store null). */
    private Long findRunningOrder(Connection c, String machine) {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT work_order_id FROM work_orders WHERE equipment_id = ? AND status = 'running' ORDER BY work_order_id LIMIT 1")) {
            ps.setString(1, machine);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1L;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private long startOrder(Connection c, String machine) throws SQLException {
        Kind kind = Kind.of(machine);
        long id;
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO work_orders (work_order_id, order_number, equipment_id, product_code, quantity_planned, status, "
                        + "priority, planned_start, started_at) "
                        + "SELECT n.id, 'WO-' || to_char(now(), 'YYYY') || '-' || lpad(n.id::text, 6, '0'), ?, ?, ?, 'running', ?, now(), now() "
                        + "FROM (SELECT nextval(pg_get_serial_sequence('work_orders', 'work_order_id')) AS id) n RETURNING work_order_id")) {
            ps.setString(1, machine);
            ps.setString(2, kind.product);
            ps.setInt(3, kind.plannedQuantity);
            ps.setInt(4, 1 + random.nextInt(5));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE downtime_events SET ended_at = now() WHERE equipment_id = ? AND ended_at IS NULL")) {
            ps.setString(1, machine);
            ps.executeUpdate();
        }
        setEquipmentStatus(c, machine, "running");
        return id;
    }

    /**
     * Books the parts made since the machine's last count, if any, at a cycle time 0 to 10 % over the kind's.
     *
     * @return whether the order is complete now
     */
    private boolean count(Connection c, String machine, long order, MachineClock clock, long now) throws SQLException {
        Kind kind = Kind.of(machine);
        int cycleMs = (int) (kind.cycleMs * (1 + random.nextDouble() * 0.10));
        double made = clock.partsCarried + (double) (now - clock.lastCountAt) / cycleMs;
        int parts = (int) made;
        clock.partsCarried = made - parts;
        clock.lastCountAt = now;
        if (parts == 0) {
            return false;
        }
        int scrap = 0;
        for (int i = 0; i < parts; i++) {
            scrap += random.nextInt(1000) < kind.scrapPerMille ? 1 : 0;
        }
        int good = parts - scrap;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO production_counts (work_order_id, equipment_id, good_count, "
                + "scrap_count, cycle_time_ms) VALUES (?, ?, ?, ?, ?)")) {
            ps.setLong(1, order);
            ps.setString(2, machine);
            ps.setInt(3, good);
            ps.setInt(4, scrap);
            ps.setInt(5, cycleMs);
            ps.executeUpdate();
        }
        boolean complete;
        try (PreparedStatement ps = c.prepareStatement("UPDATE work_orders SET quantity_good = quantity_good + ?, "
                + "quantity_scrap = quantity_scrap + ?, updated_at = now() WHERE work_order_id = ? "
                + "RETURNING quantity_good >= quantity_planned")) {
            ps.setInt(1, good);
            ps.setInt(2, scrap);
            ps.setLong(3, order);
            try (ResultSet rs = ps.executeQuery()) {
                complete = rs.next() && rs.getBoolean(1);
            }
        }
        if (complete) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE work_orders SET status = 'completed', completed_at = now(), "
                    + "updated_at = now() WHERE work_order_id = ?")) {
                ps.setLong(1, order);
                ps.executeUpdate();
            }
            setEquipmentStatus(c, machine, "idle");
        }
        return complete;
    }

    private void qualityCheck(Connection c, String machine, long order) throws SQLException {
        Kind kind = Kind.of(machine);
        BigDecimal nominal = kind.nominal;
        BigDecimal tolerance = kind.tolerance;
        // mostly well inside the tolerance, about 3 % outside
        double deviation = random.nextGaussian() * tolerance.doubleValue() / 2.2;
        BigDecimal measured = nominal.add(BigDecimal.valueOf(deviation)).setScale(4, RoundingMode.HALF_UP);
        boolean pass = measured.subtract(nominal).abs().compareTo(tolerance) <= 0;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO quality_checks (work_order_id, equipment_id, characteristic, "
                + "nominal, lower_tolerance, upper_tolerance, measured, result, inspector) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, order);
            ps.setString(2, machine);
            ps.setString(3, kind.characteristic);
            ps.setBigDecimal(4, nominal);
            ps.setBigDecimal(5, nominal.subtract(tolerance));
            ps.setBigDecimal(6, nominal.add(tolerance));
            ps.setBigDecimal(7, measured);
            ps.setString(8, pass ? "pass" : "fail");
            ps.setString(9, random.nextBoolean() ? "k.meyer" : "a.novak");
            ps.executeUpdate();
        }
        if (!pass) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE work_orders SET quantity_scrap = quantity_scrap + 1, "
                    + "quantity_good = greatest(quantity_good - 1, 0), updated_at = now() WHERE work_order_id = ?")) {
                ps.setLong(1, order);
                ps.executeUpdate();
            }
        }
    }

    /** Opens a downtime of 30 s to 3 min; a later transaction closes it ({@link #endDowntime}). */
    private void startDowntime(Connection c, String machine, MachineClock clock, long now) throws SQLException {
        String[][] reasons = {{"JAM", "material jam"}, {"TOOL_CHANGE", "tool worn"}, {"NO_MATERIAL", "waiting for material"},
            {"QUALITY_HOLD", "hold after failed check"}};
        String[] reason = reasons[random.nextInt(reasons.length)];
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO downtime_events (equipment_id, started_at, reason_code, "
                + "reason, planned) VALUES (?, now(), ?, ?, ?) RETURNING downtime_id")) {
            ps.setString(1, machine);
            ps.setString(2, reason[0]);
            ps.setString(3, reason[1]);
            ps.setBoolean(4, "TOOL_CHANGE".equals(reason[0]));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                clock.downtimeId = rs.getLong(1);
            }
        }
        // the parts made up to now are booked by the first count after the downtime
        clock.partsCarried += (double) (now - clock.lastCountAt) / Kind.of(machine).cycleMs;
        clock.downtimeEndsAt = now + 30_000 + random.nextInt(150_000);
        setEquipmentStatus(c, machine, "down");
    }

    private void endDowntime(Connection c, String machine, MachineClock clock, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE downtime_events SET ended_at = now() WHERE downtime_id = ?")) {
            ps.setLong(1, clock.downtimeId);
            ps.executeUpdate();
        }
        setEquipmentStatus(c, machine, "running");
        clock.downtimeId = null;
        clock.lastDowntimeEnd = now;
        clock.lastCountAt = now;
    }

    private static void setEquipmentStatus(Connection c, String machine, String status) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE equipment SET status = ?, updated_at = now() WHERE equipment_id = ?")) {
            ps.setString(1, status);
            ps.setString(2, machine);
            ps.executeUpdate();
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = DriverManager.getConnection(jdbcUrl, credentials);
            connection.setAutoCommit(false);
        }
        return connection;
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is dropped next anyway
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already broken
            }
            connection = null;
        }
    }

    /** Stops after the transaction in progress (waits up to 10 s). */
    @Override
    public synchronized void close() {
        if (scheduler == null) {
            return;
        }
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeConnection();
        scheduler = null;
        LOG.info("MES simulator stopped after {} transactions ({} failed)", committed.get(), failed.get());
    }

    /** Where a machine is in time: what its next count books, and its open downtime. */
    private static final class MachineClock {
        long lastCountAt;
        double partsCarried;
        long lastDowntimeEnd;
        Long downtimeId;
        long downtimeEndsAt;

        MachineClock(long now) {
            lastCountAt = now;
            lastDowntimeEnd = now - DOWNTIME_GAP_MS / 2; // the first downtime comes after at least half the gap
        }
    }

    /** What a machine kind makes and how fast (matches the seed's products). */
    private enum Kind {
        PRESS("BRK-220", 2000, 8, 2450, "hole_pitch_mm", "62.0000", "0.1000"),
        MILL("HSG-410", 40, 25, 96000, "bore_diameter_mm", "40.0000", "0.0100"),
        LATHE("SFT-118", 100, 15, 48500, "shaft_diameter_mm", "25.0000", "0.0130");

        final String product;
        final int plannedQuantity;
        final int scrapPerMille;
        /** A little over the product's ideal_cycle_ms in mes-seed.sql. */
        final int cycleMs;
        final String characteristic;
        final BigDecimal nominal;
        final BigDecimal tolerance;

        Kind(String product, int plannedQuantity, int scrapPerMille, int cycleMs, String characteristic, String nominal,
             String tolerance) {
            this.product = product;
            this.plannedQuantity = plannedQuantity;
            this.scrapPerMille = scrapPerMille;
            this.cycleMs = cycleMs;
            this.characteristic = characteristic;
            this.nominal = new BigDecimal(nominal);
            this.tolerance = new BigDecimal(tolerance);
        }

        static Kind of(String machineId) {
            if (machineId.startsWith("press")) {
                return PRESS;
            }
            if (machineId.startsWith("mill")) {
                return MILL;
            }
            return LATHE;
        }
    }
}
