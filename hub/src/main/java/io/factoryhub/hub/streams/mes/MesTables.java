package io.factoryhub.hub.streams.mes;

import io.factoryhub.hub.FactoryTopics;
import io.factoryhub.hub.TopicReplication;
import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.hub.streams.StreamsTopics;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Which MES table a CDC topic carries ({@code <prefix>.public.<table>}). */
public final class MesTables {

    /** The tables the stream processing reads. */
    public enum Table { EQUIPMENT, PRODUCTS, WORK_ORDERS, PRODUCTION_COUNTS, DOWNTIME_EVENTS, OTHER }

    private static final String SCHEMA = "public";

    private final Map<String, Table> byTopic;
    private final StreamsTopics topics;

    public MesTables(StreamsTopics topics) {
        this.topics = topics;
        this.byTopic = Map.of(topic(Table.EQUIPMENT), Table.EQUIPMENT, topic(Table.PRODUCTS), Table.PRODUCTS,
                topic(Table.WORK_ORDERS), Table.WORK_ORDERS, topic(Table.PRODUCTION_COUNTS), Table.PRODUCTION_COUNTS,
                topic(Table.DOWNTIME_EVENTS), Table.DOWNTIME_EVENTS);
    }

    /** The CDC topic of a table, e.g. {@code mes.public.work_orders}. */
    public String topic(Table table) {
        return topics.mes(SCHEMA, table.name().toLowerCase(Locale.ROOT));
    }

    public Table of(String topic) {
        return byTopic.getOrDefault(topic, Table.OTHER);
    }

    /**
     * Creates the CDC topics the stream processing reads when they are missing, as CDC itself would (one partition,
     * replicated as the hub's topics): Kafka Streams does not start on a missing source topic, and the MES may be
     * connected later, or not at all. One partition matters: the tables are joined in one task's stores.
     */
    public void ensureTopics(HubConfig config) {
        Map<String, FactoryTopics.Topic> sources = new LinkedHashMap<>();
        for (String topic : byTopic.keySet()) {
            sources.put(topic, FactoryTopics.Topic.of(1));
        }
        FactoryTopics.ensure(config.get("factory.kafka.bootstrap-servers"), sources, TopicReplication.from(config));
    }
}
