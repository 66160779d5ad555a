package io.factoryhub.hub.streams.aggregates;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Binary, not JSON: the store writes a machine's open windows once per reading. Texts as length (-1: null) + UTF-8. */
final class MachineWindowsSerde implements Serde<MachineWindows> {

    @Override
    public Serializer<MachineWindows> serializer() {
        return (topic, windows) -> windows == null ? null : write(windows);
    }

    @Override
    public Deserializer<MachineWindows> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(ByteBuffer.wrap(bytes));
    }

    private static byte[] write(MachineWindows windows) {
        List<byte[]> texts = new ArrayList<>();
        int size = Integer.BYTES;
        for (TagWindow window : windows.byStart.values()) {
            size += Long.BYTES + text(texts, window.site) + text(texts, window.line) + Integer.BYTES;
            for (Map.Entry<String, TagStats> tag : window.tags.entrySet()) {
                size += text(texts, tag.getKey()) + text(texts, tag.getValue().unit) + Long.BYTES + 4 * Double.BYTES;
            }
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        int next = 0;
        out.putInt(windows.byStart.size());
        for (Map.Entry<Long, TagWindow> window : windows.byStart.entrySet()) {
            out.putLong(window.getKey());
            put(out, texts.get(next++));
            put(out, texts.get(next++));
            out.putInt(window.getValue().tags.size());
            for (TagStats stats : window.getValue().tags.values()) {
                put(out, texts.get(next++));
                put(out, texts.get(next++));
                out.putLong(stats.count).putDouble(stats.min).putDouble(stats.max).putDouble(stats.mean)
                        .putDouble(stats.squaredDeviations);
            }
        }
        return out.array();
    }

    /** Adds the text's bytes (null for null) to {@code texts}; the room it takes. */
    private static int text(List<byte[]> texts, String text) {
        byte[] bytes = text == null ? null : text.getBytes(StandardCharsets.UTF_8);
        texts.add(bytes);
        return Integer.BYTES + (bytes == null ? 0 : bytes.length);
    }

    private static void put(ByteBuffer out, byte[] text) {
        if (text == null) {
            out.putInt(-1);
        } else {
            out.putInt(text.length).put(text);
        }
    }

    private static MachineWindows read(ByteBuffer in) {
        MachineWindows windows = new MachineWindows();
        int count = in.getInt();
        for (int i = 0; i < count; i++) {
            long start = in.getLong();
            TagWindow window = new TagWindow();
            window.site = text(in);
            window.line = text(in);
            int tags = in.getInt();
            for (int t = 0; t < tags; t++) {
                String tag = text(in);
                TagStats stats = new TagStats();
                stats.unit = text(in);
                stats.count = in.getLong();
                stats.min = in.getDouble();
                stats.max = in.getDouble();
                stats.mean = in.getDouble();
                stats.squaredDeviations = in.getDouble();
                window.tags.put(tag, stats);
            }
            windows.byStart.put(start, window);
        }
        return windows;
    }

    private static String text(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0) {
            return null;
        }
        String text = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return text;
    }
}
