package io.factoryhub.hub.state;

import io.factoryhub.hub.rules.Rule;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rules in effect, changed while machines are evaluated: the control topic's reader puts and removes, the
 * evaluators take the {@link #current()} book, rebuilt on the first look after a change.
 */
public final class LiveRules {

    private final Map<String, Rule> rules = new ConcurrentHashMap<>();
    private volatile long version;
    private volatile RuleBook book = RuleBook.EMPTY;

    public synchronized void put(Rule rule) {
        rules.put(rule.name(), rule);
        version++;
    }

    public synchronized void remove(String name) {
        if (rules.remove(name) != null) {
            version++;
        }
    }

    public int size() {
        return rules.size();
    }

    public RuleBook current() {
        RuleBook current = book;
        if (current.version() == version) {
            return current;
        }
        synchronized (this) {
            if (book.version() != version) {
                book = new RuleBook(version, rules.values());
            }
            return book;
        }
    }
}
