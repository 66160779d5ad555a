package io.factoryhub.hub.rules;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A condition-monitoring rule ({@code rules/<name>.rule.yaml}, or JSON on the {@code factory.rules} control topic):
 * while its condition holds on a machine, its group reports {@code state}; of the groups that hold, the one of the
 * highest weight decides the machine's state.
 *
 * @param machines which machines it applies to: the whole machineId matches this expression
 * @param context  MES context the machine's current work order must match (e.g. product_code), empty: any
 */
public record Rule(String name, Pattern machines, String group, int weight, String state, Match match,
                   List<Condition> conditions, Map<String, String> context) {

    /** The states the engine itself reports; a rule reports one of its own. */
    public static final String ACTIVE = "ACTIVE";
    public static final String OFFLINE = "OFFLINE";

    /** Whether all or any of the conditions must hold. */
    public enum Match { ALL, ANY }

    public Rule {
        conditions = List.copyOf(conditions);
        context = Map.copyOf(context);
    }

    public boolean appliesTo(String machineId) {
        return machines.matcher(machineId).matches();
    }
}
