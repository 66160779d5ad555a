package io.factoryhub.hub.state;

import io.factoryhub.hub.rules.Condition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules that apply to one machine, in the order that decides its state (highest weight first, then group name,
 * then rule name: the first that holds wins), and its comparisons by tag, so a reading touches only its own tag's.
 */
final class MachineRules {

    static final MachineRules NONE = new MachineRules(List.of());

    private final List<CompiledRule> ordered;
    private final Map<String, Map<String, Condition>> byTag = new HashMap<>();
    private final Set<String> keys;

    MachineRules(List<CompiledRule> ordered) {
        this.ordered = List.copyOf(ordered);
        Map<String, Condition> all = new LinkedHashMap<>();
        for (CompiledRule compiled : ordered) {
            List<Condition> conditions = compiled.rule().conditions();
            for (int i = 0; i < conditions.size(); i++) {
                Condition c = conditions.get(i);
                byTag.computeIfAbsent(c.tag(), tag -> new LinkedHashMap<>()).put(compiled.keys().get(i), c);
                all.put(compiled.keys().get(i), c);
            }
        }
        keys = Set.copyOf(all.keySet());
    }

    List<CompiledRule> ordered() {
        return ordered;
    }

    /** The distinct comparisons on {@code tag}, by key. */
    Map<String, Condition> comparisonsOf(String tag) {
        return byTag.getOrDefault(tag, Map.of());
    }

    boolean uses(String key) {
        return keys.contains(key);
    }

    static List<CompiledRule> sorted(List<CompiledRule> rules) {
        List<CompiledRule> sorted = new ArrayList<>(rules);
        sorted.sort((a, b) -> {
            int byWeight = Integer.compare(b.rule().weight(), a.rule().weight());
            if (byWeight != 0) {
                return byWeight;
            }
            int byGroup = a.rule().group().compareTo(b.rule().group());
            return byGroup != 0 ? byGroup : a.rule().name().compareTo(b.rule().name());
        });
        return sorted;
    }
}
