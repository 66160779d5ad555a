package io.factoryhub.hub.state;

import java.util.Map;

/**
 * A machine's change of state, as the {@code state-changed} event says it.
 *
 * @param from    null on the machine's first reading
 * @param rule    the rule that decided {@code to}; null for ACTIVE and OFFLINE
 * @param sinceMs event time the new state began
 * @param values  the latest value of each tag the deciding rule names; for ACTIVE and OFFLINE of every tag
 */
public record Transition(String machineId, String site, String line, String from, String to, String rule, String group,
                         long sinceMs, Map<String, Double> values) {
}
