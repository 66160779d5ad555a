package io.factoryhub.hub.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** JSON values (events, rules, context, twins) as Jackson trees; a record that is not JSON reads as null. */
public final class JsonSerde implements Serde<JsonNode> {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public Serializer<JsonNode> serializer() {
        return (topic, node) -> {
            try {
                return node == null ? null : MAPPER.writeValueAsBytes(node);
            } catch (IOException e) {
                throw new SerializationException(e);
            }
        };
    }

    @Override
    public Deserializer<JsonNode> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return MAPPER.readTree(bytes);
            } catch (IOException e) {
                return null;
            }
        };
    }
}
