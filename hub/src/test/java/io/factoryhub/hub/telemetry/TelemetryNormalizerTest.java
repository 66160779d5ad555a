package io.factoryhub.hub.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class TelemetryNormalizerTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00.140Z");
    private final ObjectMapper mapper = new ObjectMapper();
    private final DefaultCamelContext context = new DefaultCamelContext();

    private TelemetryNormalizer normalizer(String format) {
        TelemetryNormalizer normalizer = new TelemetryNormalizer(Clock.fixed(NOW, ZoneOffset.UTC));
        normalizer.setFormat(format);
        normalizer.setSite("plant-a");
        normalizer.setConnector("line-1-sensors");
        return normalizer;
    }

    private Exchange exchange(String payload, String protocol, String address) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(payload.getBytes(StandardCharsets.UTF_8));
        exchange.getMessage().setHeader(TelemetryHeaders.SOURCE_PROTOCOL, protocol);
        exchange.getMessage().setHeader(TelemetryHeaders.SOURCE_ADDRESS, address);
        return exchange;
    }

    private JsonNode body(Exchange exchange) throws Exception {
        return mapper.readTree(exchange.getMessage().getBody(byte[].class));
    }

    @Test
    void should_turn_json_reading_into_event_keyed_by_machine() throws Exception {
        TelemetryNormalizer normalizer = normalizer("json");
        normalizer.setLine("line-1");
        Exchange exchange = exchange("{\"machineId\":\"press-07\",\"deviceId\":\"vib-1\",\"value\":4.2,"
                + "\"unit\":\"mm/s\",\"timestamp\":\"2026-11-22T10:00:00.123Z\"}", "mqtt", "plant-a/line-1/press-07/vibration");
        normalizer.process(exchange);
        JsonNode event = body(exchange);
        assertEquals("press-07", event.get("machineId").asText());
        assertEquals("vibration", event.get("tag").asText(), "tag from the topic's last segment");
        assertEquals(4.2, event.get("value").asDouble());
        assertEquals("2026-11-22T10:00:00.123Z", event.get("sourceTime").asText());
        assertEquals(NOW.toString(), event.get("ingestTime").asText());
        assertEquals("GOOD", event.get("quality").asText());
        assertEquals("plant-a", event.get("site").asText());
        assertEquals("line-1", event.get("line").asText());
        assertEquals("mqtt", event.at("/source/protocol").asText());
        assertEquals("plant-a/line-1/press-07/vibration", event.at("/source/address").asText());
        assertEquals("line-1-sensors", event.at("/source/connector").asText());
        assertEquals("press-07", exchange.getMessage().getHeader("kafka.KEY"));
        assertEquals("1.0", exchange.getMessage().getHeader("ce_specversion"));
        assertEquals("io.factoryhub.telemetry.v1", exchange.getMessage().getHeader("ce_type"));
        assertFalse(exchange.getMessage().getHeader("ce_id", String.class).isBlank());
    }

    @Test
    void should_read_industrial_edge_csv_with_tag_from_topic() throws Exception {
        TelemetryNormalizer normalizer = normalizer("csv");
        Exchange exchange = exchange("mill-03,temp-1,47.5,1763805600123", "mqtt", "iot-sensor/sw/temperature");
        normalizer.process(exchange);
        JsonNode event = body(exchange);
        assertEquals("mill-03", event.get("machineId").asText());
        assertEquals("temp-1", event.get("deviceId").asText());
        assertEquals("temperature", event.get("tag").asText());
        assertEquals("degC", event.get("unit").asText(), "well-known unit of the temperature tag");
        assertEquals(47.5, event.get("value").asDouble());
        assertEquals(Instant.ofEpochMilli(1763805600123L).toString(), event.get("sourceTime").asText());
    }

    @Test
    void should_read_quoted_csv_fields_with_commas_and_embedded_quotes() throws Exception {
        TelemetryNormalizer normalizer = normalizer("csv");
        normalizer.setCsvColumns("machineId,deviceId,value,timestamp,line");
        Exchange exchange = exchange(" mill-03 ,\"vib \"\"A\"\", left\", \"47.5\" ,1763805600123,\"hall B, line 2\"",
                "mqtt", "iot-sensor/sw/temperature");
        normalizer.process(exchange);
        JsonNode event = body(exchange);
        assertEquals("mill-03", event.get("machineId").asText(), "spaces around an unquoted field trimmed");
        assertEquals("vib \"A\", left", event.get("deviceId").asText());
        assertEquals(47.5, event.get("value").asDouble());
        assertEquals("hall B, line 2", event.get("line").asText());
        assertEquals(Instant.ofEpochMilli(1763805600123L).toString(), event.get("sourceTime").asText());
        assertEquals("mill-03", exchange.getMessage().getHeader("kafka.KEY"));
    }

    @Test
    void should_reject_bad_csv_lines_with_reason() {
        assertRejected("csv", "\"mill-03,vib-1\",4.2,1763805600123", "CSV line has 3 columns, expected 4");
        assertRejected("csv", "mill-03,vib-1,4.2,1763805600123,extra", "CSV line has 5 columns, expected 4");
        assertRejected("csv", "mill-03,\"vib-1,4.2,1763805600123", "malformed CSV: Missing closing quote");
        assertRejected("csv", "mill-03,\"vib\"-1,4.2,1763805600123", "malformed CSV");
        assertRejected("csv", "mill-03,vib-1,4.2,1763805600123\nmill-04,vib-1,4.3,1763805600123", "2 lines, expected one");
        assertRejected("csv", "  ", "empty CSV line");
        assertRejected("csv", "mill-03,vib-1,\"\",1763805600123", "missing value");
    }

    @Test
    void should_map_opcua_node_path_source_time_and_quality() throws Exception {
        TelemetryNormalizer normalizer = normalizer("opcua");
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(3.25d);
        exchange.getMessage().setHeader(TelemetryHeaders.SOURCE_PROTOCOL, "opcua");
        exchange.getMessage().setHeader(TelemetryHeaders.SOURCE_ADDRESS, "ns=2;s=plant-a/line-3/lathe-05/vibration");
        exchange.getMessage().setHeader("CamelOpcUaSourceTime", "2026-11-22T09:59:59.500Z");
        exchange.getMessage().setHeader("CamelOpcUaQuality", "BAD");
        normalizer.process(exchange);
        JsonNode event = body(exchange);
        assertEquals("lathe-05", event.get("machineId").asText());
        assertEquals("line-3", event.get("line").asText());
        assertEquals("vibration", event.get("tag").asText());
        assertEquals("BAD", event.get("quality").asText());
        assertEquals("2026-11-22T09:59:59.500Z", event.get("sourceTime").asText());
    }

    @Test
    void should_emit_a_bad_opcua_value_without_a_number_as_value_null() throws Exception {
        for (Object body : new Object[] {null, "not a number"}) {
            Exchange exchange = new DefaultExchange(context);
            exchange.getMessage().setBody(body);
            exchange.getMessage().setHeader(TelemetryHeaders.SOURCE_ADDRESS, "ns=2;s=plant-a/line-3/lathe-05/vibration");
            exchange.getMessage().setHeader("CamelOpcUaQuality", "BAD");
            normalizer("opcua").process(exchange);
            JsonNode event = body(exchange);
            assertTrue(event.get("value").isNull(), event.toString());
            assertEquals("BAD", event.get("quality").asText());
            assertEquals("lathe-05", exchange.getMessage().getHeader("kafka.KEY"));
        }
    }

    @Test
    void should_reject_an_opcua_value_without_a_number_unless_it_is_bad() {
        for (String quality : new String[] {"GOOD", "UNCERTAIN"}) {
            Exchange exchange = new DefaultExchange(context);
            exchange.getMessage().setHeader(TelemetryHeaders.SOURCE_ADDRESS, "ns=2;s=plant-a/line-3/lathe-05/vibration");
            exchange.getMessage().setHeader("CamelOpcUaQuality", quality);
            assertThrows(InvalidTelemetryException.class, () -> normalizer("opcua").process(exchange), quality);
        }
    }

    @Test
    void should_reject_bad_payloads_with_reason_and_keep_the_original_body() {
        assertRejected("json", "{not json", "malformed JSON");
        assertRejected("json", "{\"machineId\":\"p\",\"value\":\"abc\"}", "value is not numeric");
        assertRejected("json", "{\"value\":1.0}", "missing machineId");
        assertRejected("json", "[1, 2]", "JSON payload is not an object");
        assertRejected("json", "{\"machineId\":\"p\",\"value\":", "malformed JSON");
        assertRejected("json", "{\"machineId\":\"p\"}", "missing value");
        assertRejected("json", "{\"machineId\":\"p\",\"value\":null}", "missing value");
        assertRejected("json", "{\"machineId\":\"p\",\"value\":{\"v\":1}}", "value is not numeric: {\"v\":1}");
        assertRejected("json", "{\"machineId\":\"p\",\"value\":1,\"timestamp\":\"2026-02-30T00:00:00Z\"}", "neither ISO-8601 nor epoch");
        assertRejected("csv", "mill-03,vib-1,4.2", "expected 4");
        assertRejected("csv", "mill-03,vib-1,high,1763805600123", "value is not numeric");
        assertRejected("xml", "<a/>", "unknown format 'xml'");
    }

    @Test
    void should_skip_fields_it_does_not_know_and_take_a_value_given_as_text() throws Exception {
        Exchange exchange = exchange("{\"extra\":{\"nested\":[1,{\"value\":9}]},\"machineId\":\"p-1\",\"value\":\"12.5\","
                + "\"timestamp\":1763805600123,\"tag\":\"temperature\"}", "mqtt", "a/b/c");
        normalizer("json").process(exchange);
        JsonNode event = body(exchange);
        assertEquals(12.5, event.get("value").asDouble());
        assertEquals("temperature", event.get("tag").asText());
        assertEquals(Instant.ofEpochMilli(1763805600123L), Instant.parse(event.get("sourceTime").asText()));
    }

    @Test
    void should_reject_payload_over_the_size_limit() {
        TelemetryNormalizer normalizer = normalizer("json");
        normalizer.setMaxPayloadBytes(10);
        Exchange exchange = exchange("{\"machineId\":\"press-07\",\"value\":1}", "mqtt", "a/b");
        InvalidTelemetryException e = assertThrows(InvalidTelemetryException.class, () -> normalizer.process(exchange));
        assertTrue(e.getMessage().contains("exceeds the limit of 10 bytes"), e.getMessage());
    }

    private void assertRejected(String format, String payload, String reason) {
        Exchange exchange = exchange(payload, "mqtt", "iot-sensor/sw/vibration");
        InvalidTelemetryException e = assertThrows(InvalidTelemetryException.class, () -> normalizer(format).process(exchange));
        assertTrue(e.getMessage().contains(reason), "'" + e.getMessage() + "' should mention '" + reason + "'");
        assertEquals(payload, new String(exchange.getMessage().getBody(byte[].class), StandardCharsets.UTF_8));
    }
}
