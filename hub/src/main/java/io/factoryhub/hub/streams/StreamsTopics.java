package io.factoryhub.hub.streams;

import io.factoryhub.hub.cdc.CdcSettings;
import io.factoryhub.hub.config.HubConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The topics the stream processing reads and writes, as {@code factory.topic.*} names them.
 *
 * @param mesPrefix the CDC topics' prefix (Debezium's {@code topic.prefix} in {@code factory.cdc.config}), tables as
 *                  {@code <prefix>.<schema>.<table>}
 */
public record StreamsTopics(String telemetry, String events, String rules, String context, String aggregates,
                            String oee, String twin, String mesPrefix) {

    /** The prefix {@code cdc/debezium.properties} ships with. */
    private static final String DEFAULT_MES_PREFIX = "mes";

    public static StreamsTopics from(HubConfig config) {
        return new StreamsTopics(config.get("factory.topic.telemetry"), config.get("factory.topic.events"),
                config.get("factory.topic.rules"), config.get("factory.topic.context"),
                config.get("factory.topic.aggregates"), config.get("factory.topic.oee"), config.get("factory.topic.twin"),
                mesPrefix(config));
    }

    /** A hub without CDC of its own (another instance runs it) may have no Debezium file: Debezium's prefix then. */
    private static String mesPrefix(HubConfig config) {
        Path debezium = config.getPath("factory.cdc.config");
        if (!config.getBoolean("factory.cdc.enabled") && !Files.exists(debezium)) {
            return DEFAULT_MES_PREFIX;
        }
        return CdcSettings.readProperties(debezium).getProperty("topic.prefix", DEFAULT_MES_PREFIX);
    }

    /** A CDC topic of the MES database, e.g. {@code mes("public", "work_orders")}. */
    public String mes(String schema, String table) {
        return mesPrefix + "." + schema + "." + table;
    }
}
