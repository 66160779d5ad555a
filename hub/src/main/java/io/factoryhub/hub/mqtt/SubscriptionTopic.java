package io.factoryhub.hub.mqtt;

import org.eclipse.paho.mqttv5.common.util.MqttTopicValidator;

/**
 * What an {@code mqtt5-source} subscribes to, its {@code topic} property: a topic filter, or an MQTT 5 shared
 * subscription {@code $share/<group>/<filter>} (MQTT 5 §4.8.2), by which several hubs split one filter's messages —
 * the broker gives each message to one member of the group.
 *
 * <p>Checked here, when the consumer is created, because nobody else does: Paho 1.2.5 only checks where wildcards
 * stand, and the brokers disagree. Measured with {@code $share/g}, {@code $share//a}, {@code $share/+/a} and
 * {@code $share/g/}: HiveMQ CE 2024.6 disconnects the client (reason 0x8F), so an automatically reconnecting consumer
 * would connect and be thrown out for ever; mosquitto 2.0.11 acknowledges each as a plain subscription to a topic no
 * machine publishes on, and nothing ever arrives.
 *
 * @param subscription what is sent in SUBSCRIBE, the property as written
 * @param group        the share name, null for a plain filter
 * @param filter       the topic filter the messages' topics match (without the {@code $share/<group>/} prefix)
 */
record SubscriptionTopic(String subscription, String group, String filter) {

    private static final String SHARE = "$share";
    private static final String EXAMPLE = "e.g. $share/hubs/plant-a/line-1/+/+";

    /** The {@code topic} property parsed; a malformed one is refused with a message naming the property. */
    static SubscriptionTopic parse(String topic) {
        if (topic == null || topic.isEmpty()) {
            throw invalid(topic, "empty; a topic filter or $share/<group>/<filter> is needed");
        }
        if (!topic.equals(SHARE) && !topic.startsWith(SHARE + "/")) {
            return new SubscriptionTopic(topic, null, checkedFilter(topic, topic));
        }
        String rest = topic.length() > SHARE.length() ? topic.substring(SHARE.length() + 1) : "";
        int slash = rest.indexOf('/');
        String group = slash < 0 ? rest : rest.substring(0, slash);
        String filter = slash < 0 ? "" : rest.substring(slash + 1);
        if (group.isEmpty()) {
            throw invalid(topic, "a shared subscription needs a group name: $share/<group>/<filter>, " + EXAMPLE);
        }
        if (group.contains("+") || group.contains("#")) {
            throw invalid(topic, "the group '" + group + "' must not contain the wildcards + or # (MQTT 5 §4.8.2); "
                    + "$share/<group>/<filter>, " + EXAMPLE);
        }
        if (filter.isEmpty()) {
            throw invalid(topic, "a shared subscription needs a topic filter after its group: $share/<group>/<filter>, "
                    + EXAMPLE);
        }
        return new SubscriptionTopic(topic, group, checkedFilter(topic, filter));
    }

    boolean shared() {
        return group != null;
    }

    private static String checkedFilter(String topic, String filter) {
        try {
            MqttTopicValidator.validate(filter, true, true);
        } catch (IllegalArgumentException e) {
            throw invalid(topic, e.getMessage());
        }
        return filter;
    }

    private static IllegalArgumentException invalid(String topic, String reason) {
        return new IllegalArgumentException("property 'topic': '" + topic + "' is not a valid subscription: " + reason);
    }
}
