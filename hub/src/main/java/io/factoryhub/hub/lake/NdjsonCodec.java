package io.factoryhub.hub.lake;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One record per line, so query engines read the lake directly and replay gets the exact bytes back:
 * <pre>{"topic":"t","partition":0,"offset":42,"timestamp":"2026-11-22T10:00:00.123Z","key":"press-07",
 *  "headers":[{"key":"ce_id","value":"..."}],"value":{...the record's JSON, byte for byte...}}</pre>
 * A value that is not single-line JSON (a dead letter's raw payload) is kept as {@code "value_text"} (UTF-8) or
 * {@code "value_base64"}; a key that is not UTF-8 as {@code "key_base64"}; a tombstone as {@code "value":null}.
 */
public final class NdjsonCodec {

    private static final JsonFactory JSON = new JsonFactory();
    private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();
    private static final byte[] VALUE_FIELD = ",\"value\":".getBytes(StandardCharsets.US_ASCII);
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private NdjsonCodec() {
    }

    /**
     * Writes the lines of one partition. What repeats from record to record is encoded once: the topic/partition
     * prefix always, the timestamp up to the second while records share it (at 100k records/s they do).
     */
    public static final class Encoder {
        private final byte[] prefix;
        private long second = Long.MIN_VALUE;
        private byte[] secondText;

        public Encoder(String topic, int partition) {
            this.prefix = ("{\"topic\":\"" + new String(ESCAPE.quoteAsString(topic)) + "\",\"partition\":" + partition
                    + ",\"offset\":").getBytes(StandardCharsets.UTF_8);
        }

        /** Writes one line, newline included. */
        public void write(ConsumerRecord<byte[], byte[]> record, OutputStream out) throws IOException {
            out.write(prefix);
            writeDigits(record.offset(), out);
            writeTimestamp(record.timestamp(), out);
            if (record.key() != null) {
                bytesField(out, "key", "key_base64", record.key());
            }
            if (record.headers().iterator().hasNext()) {
                ascii(out, ",\"headers\":[");
                boolean first = true;
                for (org.apache.kafka.common.header.Header header : record.headers()) {
                    ascii(out, first ? "{\"key\":" : ",{\"key\":");
                    quoted(out, header.key());
                    if (header.value() != null) {
                        bytesField(out, "value", "value_base64", header.value());
                    }
                    out.write('}');
                    first = false;
                }
                out.write(']');
            }
            byte[] value = record.value();
            if (value == null) {
                ascii(out, ",\"value\":null");
            } else if (isSingleLineJson(value)) {
                out.write(VALUE_FIELD);
                out.write(value);
            } else {
                bytesField(out, "value_text", "value_base64", value);
            }
            out.write('}');
            out.write('\n');
        }

        /** A non-negative number without a String in between (one per record). */
        private static void writeDigits(long n, OutputStream out) throws IOException {
            if (n >= 10) {
                writeDigits(n / 10, out);
            }
            out.write((int) ('0' + n % 10));
        }

        /** {@code ,"timestamp":"2026-11-22T10:00:00.123Z"}: always with milliseconds, UTC. */
        private void writeTimestamp(long epochMillis, OutputStream out) throws IOException {
            long s = Math.floorDiv(epochMillis, 1000);
            if (s != second) {
                second = s;
                String text = SECONDS.format(Instant.ofEpochSecond(s));
                secondText = (",\"timestamp\":\"" + text + ".").getBytes(StandardCharsets.US_ASCII);
            }
            out.write(secondText);
            int millis = (int) Math.floorMod(epochMillis, 1000);
            out.write('0' + millis / 100);
            out.write('0' + millis / 10 % 10);
            out.write('0' + millis % 10);
            out.write('Z');
            out.write('"');
        }
    }

    /** Reads one line back; the value's bytes are the original ones. Throws on anything that is not such a line. */
    public static LakeRecord read(byte[] line) throws IOException {
        String topic = null;
        int partition = -1;
        long offset = -1;
        long timestamp = -1;
        byte[] key = null;
        byte[] value = null;
        boolean sawValue = false;
        List<LakeRecord.Header> headers = new ArrayList<>();
        try (JsonParser p = JSON.createParser(line)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken token = p.nextToken();
                switch (field) {
                    case "topic" -> topic = p.getText();
                    case "partition" -> partition = p.getIntValue();
                    case "offset" -> offset = p.getLongValue();
                    case "timestamp" -> timestamp = Instant.parse(p.getText()).toEpochMilli();
                    case "key" -> key = p.getText().getBytes(StandardCharsets.UTF_8);
                    case "key_base64" -> key = Base64.getDecoder().decode(p.getText());
                    case "headers" -> readHeaders(p, headers);
                    case "value" -> {
                        sawValue = true;
                        if (token != JsonToken.VALUE_NULL) {
                            int start = (int) p.currentTokenLocation().getByteOffset();
                            p.skipChildren();
                            p.finishToken(); // a scalar (string) is read lazily: its end is known only then
                            value = Arrays.copyOfRange(line, start, (int) p.currentLocation().getByteOffset());
                        }
                    }
                    case "value_text" -> {
                        sawValue = true;
                        value = p.getText().getBytes(StandardCharsets.UTF_8);
                    }
                    case "value_base64" -> {
                        sawValue = true;
                        value = Base64.getDecoder().decode(p.getText());
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (RuntimeException e) {
            throw new IOException("not a lake record: " + e.getMessage(), e);
        }
        if (topic == null || partition < 0 || offset < 0 || !sawValue) {
            throw new IOException("not a lake record: topic, partition, offset or value missing");
        }
        return new LakeRecord(topic, partition, offset, timestamp, key, headers, value);
    }

    private static void readHeaders(JsonParser p, List<LakeRecord.Header> headers) throws IOException {
        expect(p.currentToken(), JsonToken.START_ARRAY);
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String name = null;
            byte[] value = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "key" -> name = p.getText();
                    case "value", "value_text" -> value = p.getText().getBytes(StandardCharsets.UTF_8);
                    case "value_base64" -> value = Base64.getDecoder().decode(p.getText());
                    default -> p.skipChildren();
                }
            }
            headers.add(new LakeRecord.Header(name, value));
        }
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("not a lake record: expected " + expected + ", found " + actual);
        }
    }

    /**
     * One JSON value on one line, without blanks around it (replay gives back the value's own extent), and not the
     * literal null (which must stay apart from a tombstone).
     */
    static boolean isSingleLineJson(byte[] value) {
        return value.length > 0 && !blank(value[0]) && !blank(value[value.length - 1]) && JsonScanner.isSingleLineValue(value)
                && !(value.length <= 16 && "null".equals(new String(value, StandardCharsets.US_ASCII).strip()));
    }

    /** {@code "textField":"..."} when the bytes are UTF-8, else {@code "base64Field":"..."}: lossless either way. */
    private static void bytesField(OutputStream out, String textField, String base64Field, byte[] bytes) throws IOException {
        if (plainAscii(bytes)) { // machine ids and the like: nothing to decode or escape
            out.write(',');
            out.write('"');
            ascii(out, textField);
            out.write('"');
            out.write(':');
            out.write('"');
            out.write(bytes);
            out.write('"');
            return;
        }
        String text = utf8(bytes);
        if (text != null) {
            ascii(out, ",\"" + textField + "\":");
            quoted(out, text);
        } else {
            ascii(out, ",\"" + base64Field + "\":\"" + Base64.getEncoder().encodeToString(bytes) + "\"");
        }
    }

    private static boolean blank(byte b) {
        return b == ' ' || b == '\t';
    }

    private static boolean plainAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0x20 || b == '"' || b == '\\' || b == 0x7f) { // negative = non-ASCII
                return false;
            }
        }
        return true;
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static void quoted(OutputStream out, String text) throws IOException {
        out.write('"');
        out.write(ESCAPE.quoteAsUTF8(text));
        out.write('"');
    }

    private static void ascii(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
