package io.factoryhub.hub.rules;

import java.time.Duration;

/**
 * One comparison of a tag's latest value, e.g. {@code temperature > 80 for 5m}.
 *
 * @param holdFor how long (event time) the comparison must have held without a break; zero: at once
 */
public record Condition(String tag, Operator op, double value, Duration holdFor) {

    public boolean test(double reading) {
        return op.test(reading, value);
    }

    /** The comparison operators a rule may use. */
    public enum Operator {
        GT(">"), GE(">="), LT("<"), LE("<="), EQ("=="), NE("!=");

        public final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        public static Operator of(String symbol) {
            for (Operator op : values()) {
                if (op.symbol.equals(symbol)) {
                    return op;
                }
            }
            return null;
        }

        boolean test(double reading, double value) {
            return switch (this) {
                case GT -> reading > value;
                case GE -> reading >= value;
                case LT -> reading < value;
                case LE -> reading <= value;
                case EQ -> reading == value;
                case NE -> reading != value;
            };
        }
    }
}
