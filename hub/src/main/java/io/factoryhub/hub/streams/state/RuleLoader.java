package io.factoryhub.hub.streams.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.factoryhub.hub.rules.Rule;
import io.factoryhub.hub.rules.RuleException;
import io.factoryhub.hub.rules.RuleJson;
import io.factoryhub.hub.state.LiveRules;
import io.factoryhub.hub.state.StateCounters;
import io.factoryhub.hub.streams.JsonSerde;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the control topic's rules ({@code factory.rules}: key = rule name, value = the rule document as JSON, a
 * tombstone deletes) in a global store on every instance, and the parsed rules in {@link LiveRules}.
 *
 * <p>A record that is not a valid rule is logged with the rule's name and the reason, counted, and takes the rule's
 * previous version out of effect: the topic's latest record of a name is what holds, so every instance and every
 * restart (which reads the compacted topic, where the previous version may be gone) agree on the rule set.
 */
final class RuleLoader implements Processor<String, String, Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(RuleLoader.class);

    private final LiveRules rules;
    private final StateCounters counters;
    private KeyValueStore<String, String> store;

    RuleLoader(LiveRules rules, StateCounters counters) {
        this.rules = rules;
        this.counters = counters;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(MachineStatePart.RULES_STORE);
        try (KeyValueIterator<String, String> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, String> rule = all.next();
                apply(rule.key, rule.value, false);
            }
        }
        LOG.info("Rules from {}: {} in effect", MachineStatePart.RULES_STORE, rules.size());
    }

    @Override
    public void process(Record<String, String> record) {
        if (record.key() == null) {
            LOG.warn("A record without a key on the rules topic is ignored: the key is the rule's name");
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
        apply(record.key(), record.value(), true);
    }

    /** @param change a record as it arrives (logged), not one of the store's at the start (only counted) */
    private void apply(String name, String json, boolean change) {
        if (json == null) {
            rules.remove(name);
            LOG.info("Rule {} deleted", name);
            return;
        }
        try {
            Rule rule = RuleJson.read(parse(json));
            if (!rule.name().equals(name)) {
                throw new RuleException("/metadata/name", "'" + rule.name() + "' is not the record's key '" + name + "'");
            }
            rules.put(rule);
            if (change) {
                LOG.info("Rule {} in effect: {} when {} {} (group {}, weight {})", name, rule.state(), rule.match(),
                        rule.conditions(), rule.group(), rule.weight());
            }
        } catch (RuleException e) {
            refuse(name, (e.property().isEmpty() ? "" : e.property() + ": ") + e.getMessage());
        }
    }

    private void refuse(String name, String reason) {
        rules.remove(name);
        counters.refusedRules.increment();
        LOG.warn("Rule {} refused, its previous version no longer applies: {}", name, reason);
    }

    private static JsonNode parse(String json) throws RuleException {
        try {
            return JsonSerde.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new RuleException("", "not JSON: " + e.getOriginalMessage());
        }
    }
}
