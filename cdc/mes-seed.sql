-- Seed data: the machines of the simulated plant (SimulatedMachine.defaultPlant("plant-a", 2)) and
-- some history, so a first snapshot (op = r) has something in every table. Counts fit the time the orders ran at
-- their products' ideal cycle: OEE performance at most 1 in each hour (a 15-minute window holding an hourly
-- count gets more).

INSERT INTO equipment (equipment_id, site, line, kind, manufacturer, model, serial_number, commissioned_on, status) VALUES
    ('press-01', 'plant-a', 'line-1', 'press', 'Schuler',   'MSD 400',     'SCH-400-1187', '2019-03-11', 'running'),
    ('press-02', 'plant-a', 'line-1', 'press', 'Schuler',   'MSD 400',     'SCH-400-1188', '2019-03-11', 'idle'),
    ('mill-03',  'plant-a', 'line-2', 'mill',  'DMG MORI',  'DMU 65',      'DMG-65-50231', '2021-07-02', 'running'),
    ('mill-04',  'plant-a', 'line-2', 'mill',  'DMG MORI',  'DMU 65',      'DMG-65-50232', '2021-07-02', 'maintenance'),
    ('lathe-05', 'plant-a', 'line-3', 'lathe', 'Okuma',     'LB3000 EX II','OKU-3000-7741', '2022-01-17', 'running'),
    ('lathe-06', 'plant-a', 'line-3', 'lathe', 'Okuma',     'LB3000 EX II','OKU-3000-7742', '2022-01-17', 'idle');

INSERT INTO products (product_code, description, unit, ideal_cycle_ms, unit_cost) VALUES
    ('BRK-220', 'brake bracket, stamped steel 2.5 mm', 'pcs', 2400, 1.8700),
    ('HSG-410', 'pump housing, milled aluminium',      'pcs', 95000, 23.4500),
    ('SFT-118', 'drive shaft, turned 42CrMo4',         'pcs', 48000, 11.2000);

INSERT INTO work_orders (work_order_id, order_number, equipment_id, product_code, quantity_planned, quantity_good,
                         quantity_scrap, status, priority, planned_start, started_at, completed_at, created_at, updated_at) VALUES
    (1, 'WO-2026-000001', 'press-01', 'BRK-220', 5000, 4962, 38, 'completed', 2,
        '2026-11-20 06:00+00', '2026-11-20 06:04+00', '2026-11-20 09:31+00', '2026-11-19 15:00+00', '2026-11-20 09:31+00'),
    (2, 'WO-2026-000002', 'press-01', 'BRK-220', 5000, 1210, 9, 'running', 2,
        '2026-11-21 06:00+00', '2026-11-21 06:02+00', NULL, '2026-11-20 15:00+00', '2026-11-21 07:00+00'),
    (3, 'WO-2026-000003', 'mill-03', 'HSG-410', 120, 28, 1, 'running', 1,
        '2026-11-21 06:00+00', '2026-11-21 06:10+00', NULL, '2026-11-20 15:05+00', '2026-11-21 07:00+00'),
    (4, 'WO-2026-000004', 'lathe-05', 'SFT-118', 300, 52, 2, 'running', 3,
        '2026-11-21 06:00+00', '2026-11-21 06:05+00', NULL, '2026-11-20 15:10+00', '2026-11-21 07:00+00'),
    (5, 'WO-2026-000005', 'press-02', 'BRK-220', 8000, 0, 0, 'released', 3,
        '2026-11-22 06:00+00', NULL, NULL, '2026-11-21 12:00+00', '2026-11-21 12:00+00'),
    (6, 'WO-2026-000006', 'lathe-06', 'SFT-118', 250, 0, 0, 'planned', 4,
        '2026-11-23 06:00+00', NULL, NULL, '2026-11-21 12:05+00', '2026-11-21 12:05+00');
-- explicit ids above: move the identity past them
SELECT setval(pg_get_serial_sequence('work_orders', 'work_order_id'), 100);

INSERT INTO production_counts (work_order_id, equipment_id, counted_at, good_count, scrap_count, cycle_time_ms) VALUES
    (1, 'press-01', '2026-11-20 07:00+00', 1350, 11, 2450),
    (1, 'press-01', '2026-11-20 08:00+00', 1455, 12, 2430),
    (1, 'press-01', '2026-11-20 09:31+00', 2157, 15, 2440),
    (2, 'press-01', '2026-11-21 07:00+00', 1210, 9, 2460),
    (3, 'mill-03',  '2026-11-21 07:00+00', 28, 1, 96200),
    (4, 'lathe-05', '2026-11-21 07:00+00', 52, 2, 48900);

INSERT INTO quality_checks (work_order_id, equipment_id, checked_at, characteristic, nominal, lower_tolerance,
                            upper_tolerance, measured, result, inspector) VALUES
    (1, 'press-01', '2026-11-20 07:05+00', 'hole_pitch_mm',     62.0000, 61.9000, 62.1000, 62.0310, 'pass', 'k.meyer'),
    (2, 'press-01', '2026-11-21 07:05+00', 'hole_pitch_mm',     62.0000, 61.9000, 62.1000, 61.8870, 'fail', 'k.meyer'),
    (3, 'mill-03',  '2026-11-21 07:10+00', 'bore_diameter_mm',  40.0000, 39.9900, 40.0100, 40.0040, 'pass', 'a.novak'),
    (4, 'lathe-05', '2026-11-21 07:15+00', 'shaft_diameter_mm', 25.0000, 24.9870, 25.0000, 24.9930, 'pass', 'a.novak');

INSERT INTO downtime_events (equipment_id, started_at, ended_at, reason_code, reason, planned) VALUES
    ('press-01', '2026-11-20 09:31+00', '2026-11-20 09:58+00', 'TOOL_CHANGE', 'die change BRK-220 rev C', true),
    ('mill-04',  '2026-11-21 05:40+00', NULL,                  'MAINTENANCE', 'spindle bearing replacement', true),
    ('lathe-05', '2026-11-21 06:40+00', '2026-11-21 06:47+00', 'JAM',         'chip jam in conveyor', false);
