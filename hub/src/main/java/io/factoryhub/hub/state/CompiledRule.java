package io.factoryhub.hub.state;

import io.factoryhub.hub.rules.Condition;
import io.factoryhub.hub.rules.Rule;
import java.util.List;

/**
 * A rule with the key of each of its comparisons: machines track "holding since" per comparison ({@code tag op value}),
 * so rules that share one (and a rule whose duration changes) share that history.
 */
record CompiledRule(Rule rule, List<String> keys) {

    static CompiledRule of(Rule rule) {
        return new CompiledRule(rule, rule.conditions().stream().map(CompiledRule::key).toList());
    }

    static String key(Condition c) {
        return c.tag() + ' ' + c.op().symbol + ' ' + c.value();
    }

    /** NaN (a reading without a number, e.g. BAD quality) satisfies no comparison, != included. */
    static boolean satisfies(Condition c, double value) {
        return !Double.isNaN(value) && c.test(value);
    }
}
