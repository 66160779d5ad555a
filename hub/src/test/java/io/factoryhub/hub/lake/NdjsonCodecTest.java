package io.factoryhub.hub.lake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** A lake line gives back exactly the record it was written from, whatever the key and value bytes are. */
class NdjsonCodecTest {

    private static final List<String> VALUES = List.of("{\"machineId\":\"press-07\",\"value\":4.20,\"ok\":true,\"tags\":[1,-2.5e3,null]}",
            " [ ] ", "\"text\"", "42", "-0.5E+2", "{\"u\":\"caf\\u00e9 \\\"q\\\"\",\"t\":\"tab\\there\"}", "not json {", "{\"a\":}",
            "{\n \"pretty\": 1\n}", "{\"a\":1} {\"b\":2}", "null", "01", "{\"a\":1,}", "[1 2]", "tru", "\"unterminated", "{\"k\":\"ctrl\u0001\"}",
            "\"héllo wörld\"", "");

    @Test
    void should_read_back_the_exact_key_headers_and_value_bytes() throws IOException {
        for (String text : VALUES) {
            roundTrip("key-1".getBytes(StandardCharsets.UTF_8), text.getBytes(StandardCharsets.UTF_8));
        }
        roundTrip(new byte[] {(byte) 0xff, 0, '"'}, new byte[] {(byte) 0xc3, (byte) 0x28, '\n'}); // not UTF-8 at all
        roundTrip(null, null); // tombstone without key
    }

    @Test
    void should_embed_json_values_as_they_are_and_keep_everything_else_as_text() throws Exception {
        JsonFactory jackson = new JsonFactory();
        for (String text : VALUES) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            boolean expected = !text.contains("\n") && text.equals(text.strip()) && !text.equals("null") && isOneJsonValue(jackson, bytes);
            assertEquals(expected, NdjsonCodec.isSingleLineJson(bytes), text);
        }
    }

    @Test
    void should_refuse_a_line_that_is_not_a_lake_record() {
        assertThrows(IOException.class, () -> NdjsonCodec.read("{\"topic\":\"t\"}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IOException.class, () -> NdjsonCodec.read("{\"half\": a record".getBytes(StandardCharsets.UTF_8)));
    }

    private static void roundTrip(byte[] key, byte[] value) throws IOException {
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader("ce_id", "abc".getBytes(StandardCharsets.UTF_8)));
        headers.add(new RecordHeader("ce_id", new byte[] {(byte) 0xfe}));
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("factory.machine.telemetry", 3, 1234L, 1763805600123L,
                TimestampType.CREATE_TIME, 0, 0, key, value, headers, Optional.empty());
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        new NdjsonCodec.Encoder(record.topic(), record.partition()).write(record, line);
        byte[] bytes = line.toByteArray();
        assertEquals('\n', bytes[bytes.length - 1]);
        assertEquals(1, line.toString(StandardCharsets.UTF_8).split("\n", -1).length - 1, "one line");
        LakeRecord back = NdjsonCodec.read(java.util.Arrays.copyOf(bytes, bytes.length - 1));
        assertEquals("factory.machine.telemetry", back.topic());
        assertEquals(3, back.partition());
        assertEquals(1234L, back.offset());
        assertEquals(1763805600123L, back.timestamp());
        if (key == null) {
            assertNull(back.key());
        } else {
            assertArrayEquals(key, back.key());
        }
        if (value == null) {
            assertNull(back.value());
        } else {
            assertArrayEquals(value, back.value(), new String(value, StandardCharsets.UTF_8));
        }
        assertEquals(2, back.headers().size());
        assertArrayEquals(new byte[] {(byte) 0xfe}, back.headers().get(1).value());
    }

    private static boolean isOneJsonValue(JsonFactory jackson, byte[] bytes) {
        try (JsonParser p = jackson.createParser(bytes)) {
            if (p.nextToken() == null) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }
}
