package io.factoryhub.hub.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.factoryhub.hub.rules.Condition;
import io.factoryhub.hub.rules.Rule;
import io.factoryhub.hub.streams.Reading;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Machine states from rules, on event time; pure Java, so the Streams processor and the bench's plain-consumer
 * baseline run the same semantics, and unit tests drive it with chosen clocks.
 *
 * <ul>
 *   <li>A reading waits until its machine's watermark passes it, then readings apply in event-time order. A source's
 *   (deviceId/tag) watermark is its newest event time minus {@code outOfOrderMs}; the machine's is the minimum over
 *   its sources that sent within {@code idleTimeoutMs} (wall clock), the most advanced one when all are idle; it
 *   never goes back. A reading older than the watermark is late: counted, not applied.</li>
 *   <li>A comparison holds since t0 when every applied reading of its tag from t0 on satisfied it; with {@code for: D}
 *   a condition holds from t0 + D on (event time: the reading applied, or the watermark). A rule holds when all
 *   (any) of its conditions do, and only while the machine's MES context matches its {@code context}.</li>
 *   <li>The machine's state: that of the first rule that holds, in the order of {@link MachineRules} (weight, then
 *   group name, then rule name); ACTIVE when none does; OFFLINE when no reading arrived for {@code offlineAfterMs}
 *   (wall clock), until the next reading. Only changes of state are reported.</li>
 * </ul>
 */
public final class StateEngine {

    /** Where the transitions go. */
    @FunctionalInterface
    public interface Output {
        void transition(Transition transition);
    }

    private final StateTimings timings;
    private final LiveRules rules;
    private final StateCounters counters;
    private final Function<String, JsonNode> contexts;

    /** @param contexts a machine's current MES context ({@code factory.machine.context}), null when it has none */
    public StateEngine(StateTimings timings, LiveRules rules, StateCounters counters, Function<String, JsonNode> contexts) {
        this.timings = timings;
        this.rules = rules;
        this.counters = counters;
        this.contexts = contexts;
    }

    /** @param timeMs the reading's event time; {@code nowMs} the wall clock it arrived at */
    public void onReading(MachineState m, Reading reading, long timeMs, long nowMs, Output out) {
        counters.readings.increment();
        m.arrivedMs = nowMs;
        m.site = reading.site() != null ? reading.site() : m.site;
        m.line = reading.line() != null ? reading.line() : m.line;
        m.dirty = true;
        RuleBook book = rules.current();
        if (m.state == null || Rule.OFFLINE.equals(m.state)) {
            // data flows (again): the state of what was applied so far, before this reading waits for the watermark
            decide(m, book, timeMs, true, out);
        }
        if (timeMs < m.watermarkMs) {
            counters.late.increment();
            return;
        }
        MachineState.Source source = m.sources.get(reading.source());
        if (source == null) {
            m.sources.put(reading.source(), new MachineState.Source(timeMs, nowMs));
        } else {
            source.maxTimeMs = Math.max(source.maxTimeMs, timeMs);
            source.arrivedMs = nowMs;
        }
        m.pending.add(new Pending(timeMs, m.nextSeq++, m.tag(reading.tag()), reading.value()));
        advance(m, book, nowMs, out);
    }

    /** The wall clock moved on: idle sources, rule and context changes, OFFLINE. */
    public void onTick(MachineState m, long nowMs, Output out) {
        RuleBook book = rules.current();
        advance(m, book, nowMs, out);
        if (nowMs - m.arrivedMs >= timings.offlineAfterMs() && m.state != null && !Rule.OFFLINE.equals(m.state)) {
            report(m, Rule.OFFLINE, null, latestEventTime(m), out);
        }
    }

    private void advance(MachineState m, RuleBook book, long nowMs, Output out) {
        long watermark = watermark(m, nowMs);
        if (watermark > m.watermarkMs) {
            m.watermarkMs = watermark;
            m.dirty = true;
        }
        while (!m.pending.isEmpty() && m.pending.peek().timeMs() <= m.watermarkMs) {
            Pending next = m.pending.poll();
            apply(m, book, next);
            decide(m, book, next.timeMs(), false, out);
        }
        if (m.watermarkMs != Long.MIN_VALUE) {
            decide(m, book, m.watermarkMs, false, out);
        }
    }

    private long watermark(MachineState m, long nowMs) {
        long slowest = Long.MAX_VALUE;
        long fastest = Long.MIN_VALUE;
        for (MachineState.Source source : m.sources.values()) {
            long w = source.maxTimeMs - timings.outOfOrderMs();
            fastest = Math.max(fastest, w);
            if (nowMs - source.arrivedMs < timings.idleTimeoutMs()) {
                slowest = Math.min(slowest, w);
            }
        }
        return slowest != Long.MAX_VALUE ? slowest : fastest;
    }

    private void apply(MachineState m, RuleBook book, Pending p) {
        counters.applied.increment();
        m.dirty = true;
        MachineState.TagValue previous = m.latest.get(p.tag());
        for (Map.Entry<String, Condition> comparison : machineRules(m, book).comparisonsOf(p.tag()).entrySet()) {
            String key = comparison.getKey();
            Condition c = comparison.getValue();
            if (CompiledRule.satisfies(c, p.value())) {
                if (!m.holding.containsKey(key)) {
                    // a comparison new to this machine (a rule added) held at least since the tag's previous reading
                    boolean heldBefore = previous != null && CompiledRule.satisfies(c, previous.value());
                    m.holding.put(key, heldBefore ? previous.timeMs() : p.timeMs());
                }
            } else {
                m.holding.remove(key);
            }
        }
        m.latest.put(p.tag(), new MachineState.TagValue(p.value(), p.timeMs()));
    }

    /** Evaluates at event time {@code clockMs}; {@code dataFlows}: a reading arrived for a machine without a state. */
    private void decide(MachineState m, RuleBook book, long clockMs, boolean dataFlows, Output out) {
        if (Rule.OFFLINE.equals(m.state) && !dataFlows) {
            return;
        }
        MachineRules machineRules = machineRules(m, book);
        JsonNode context = null;
        boolean contextRead = false;
        for (CompiledRule compiled : machineRules.ordered()) {
            Rule rule = compiled.rule();
            if (!rule.context().isEmpty()) {
                if (!contextRead) {
                    context = contexts.apply(m.machineId);
                    contextRead = true;
                }
                if (!matches(rule.context(), context)) {
                    continue;
                }
            }
            long holdsFrom = holdsSince(m, compiled, clockMs);
            if (holdsFrom != Long.MIN_VALUE) {
                // a rule that held already while a heavier one decided takes over now, not when it began to hold
                long since = holdsFrom >= m.sinceMs ? holdsFrom : clockMs;
                report(m, rule.state(), compiled, since, out);
                return;
            }
        }
        report(m, Rule.ACTIVE, null, clockMs, out);
    }

    /** When the rule began to hold at {@code clockMs}; MIN_VALUE when it does not. */
    private long holdsSince(MachineState m, CompiledRule compiled, long clockMs) {
        List<Condition> conditions = compiled.rule().conditions();
        boolean all = compiled.rule().match() == Rule.Match.ALL;
        long since = all ? Long.MIN_VALUE : Long.MAX_VALUE;
        for (int i = 0; i < conditions.size(); i++) {
            Condition c = conditions.get(i);
            Long t0 = heldSince(m, compiled.keys().get(i), c);
            long from = t0 == null ? Long.MAX_VALUE : t0 + c.holdFor().toMillis();
            boolean holds = t0 != null && from <= clockMs;
            if (all && !holds) {
                return Long.MIN_VALUE;
            }
            if (holds) {
                since = all ? Math.max(since, from) : Math.min(since, from);
            }
        }
        return since == Long.MAX_VALUE ? Long.MIN_VALUE : since;
    }

    /** Since when a comparison holds, null when it does not; one no reading was applied to yet: from the tag's latest. */
    private static Long heldSince(MachineState m, String key, Condition c) {
        Long since = m.holding.get(key);
        if (since != null) {
            return since;
        }
        MachineState.TagValue latest = m.latest.get(c.tag());
        if (latest != null && CompiledRule.satisfies(c, latest.value())) {
            m.holding.put(key, latest.timeMs());
            m.dirty = true;
            return latest.timeMs();
        }
        return null;
    }

    private static boolean matches(Map<String, String> wanted, JsonNode context) {
        if (context == null) {
            return false;
        }
        for (Map.Entry<String, String> field : wanted.entrySet()) {
            JsonNode value = context.get(field.getKey());
            if (value == null || value.isNull() || !field.getValue().equals(value.asText())) {
                return false;
            }
        }
        return true;
    }

    /** The machine's rules for this book; comparisons no rule uses any more forgotten. */
    private static MachineRules machineRules(MachineState m, RuleBook book) {
        MachineRules machineRules = book.forMachine(m.machineId);
        if (m.rulesVersion != book.version()) {
            m.rulesVersion = book.version();
            if (m.holding.keySet().removeIf(key -> !machineRules.uses(key))) {
                m.dirty = true;
            }
        }
        return machineRules;
    }

    private void report(MachineState m, String state, CompiledRule decidedBy, long sinceMs, Output out) {
        if (state.equals(m.state)) {
            return;
        }
        Rule rule = decidedBy == null ? null : decidedBy.rule();
        Transition transition = new Transition(m.machineId, m.site, m.line, m.state, state,
                rule == null ? null : rule.name(), rule == null ? null : rule.group(), sinceMs,
                rule == null ? allValues(m) : ruleValues(m, rule));
        m.state = state;
        m.rule = transition.rule();
        m.group = transition.group();
        m.sinceMs = sinceMs;
        m.dirty = true;
        counters.transitions.increment();
        out.transition(transition);
    }

    private static Map<String, Double> ruleValues(MachineState m, Rule rule) {
        Map<String, Double> values = new TreeMap<>();
        for (Condition c : rule.conditions()) {
            MachineState.TagValue latest = m.latest.get(c.tag());
            if (latest != null) {
                values.put(c.tag(), latest.value());
            }
        }
        return values;
    }

    private static Map<String, Double> allValues(MachineState m) {
        Map<String, Double> values = new TreeMap<>();
        m.latest.forEach((tag, latest) -> values.put(tag, latest.value()));
        return values;
    }

    /** OFFLINE since the newest reading the machine sent. */
    private static long latestEventTime(MachineState m) {
        long latest = m.sinceMs;
        for (MachineState.Source source : m.sources.values()) {
            latest = Math.max(latest, source.maxTimeMs);
        }
        return latest;
    }
}
