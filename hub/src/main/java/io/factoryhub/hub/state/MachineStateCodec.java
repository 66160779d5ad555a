package io.factoryhub.hub.state;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * A machine's state in binary, its waiting readings included: what a restart needs, without the wall-clock fields.
 * Written on every reading, so it is made to be cheap: one growing buffer (no synchronized stream per byte, which cost
 * the hub half its time in {@code bench rules}), tags of waiting readings as an index into a table of the machine's
 * tags. One record per machine rather than one per waiting reading: the store's cache folds a machine's updates of a
 * commit interval into one changelog record.
 */
public final class MachineStateCodec {

    private static final byte FORMAT = 2;

    private MachineStateCodec() {
    }

    public static byte[] encode(MachineState m) {
        Writer out = new Writer(256 + 28 * m.pending.size());
        out.putByte(FORMAT);
        out.putText(m.site);
        out.putText(m.line);
        out.putText(m.state);
        out.putText(m.rule);
        out.putText(m.group);
        out.putLong(m.sinceMs);
        out.putLong(m.watermarkMs);
        out.putLong(m.nextSeq);
        out.putInt(m.sources.size());
        for (Map.Entry<String, MachineState.Source> s : m.sources.entrySet()) {
            out.putText(s.getKey());
            out.putLong(s.getValue().maxTimeMs);
        }
        out.putInt(m.holding.size());
        for (Map.Entry<String, Long> h : m.holding.entrySet()) {
            out.putText(h.getKey());
            out.putLong(h.getValue());
        }
        String[] tags = m.latest.keySet().toArray(new String[m.latest.size() + 4]);
        int tagCount = m.latest.size();
        int[] tagOf = new int[m.pending.size()];
        int i = 0;
        for (Pending p : m.pending) {
            int index = indexOf(tags, tagCount, p.tag());
            if (index < 0) {
                if (tagCount == tags.length) {
                    tags = Arrays.copyOf(tags, tagCount * 2);
                }
                tags[tagCount] = p.tag();
                index = tagCount++;
            }
            tagOf[i++] = index;
        }
        out.putInt(tagCount);
        for (int t = 0; t < tagCount; t++) {
            out.putText(tags[t]);
            MachineState.TagValue latest = m.latest.get(tags[t]);
            out.putByte((byte) (latest == null ? 0 : 1));
            if (latest != null) {
                out.putDouble(latest.value());
                out.putLong(latest.timeMs());
            }
        }
        // a waiting reading needs only what applying it takes: time, value, tag (source and site were taken on arrival)
        out.putInt(m.pending.size());
        i = 0;
        for (Pending p : m.pending) {
            out.putLong(p.timeMs());
            out.putLong(p.seq());
            out.putDouble(p.value());
            out.putInt(tagOf[i++]);
        }
        return out.bytes();
    }

    /** @param nowMs what the wall-clock fields start from */
    public static MachineState decode(String machineId, byte[] bytes, long nowMs) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.get() != FORMAT) {
            throw new IllegalArgumentException("machine state of " + machineId + " in an unknown format");
        }
        MachineState m = new MachineState(machineId, nowMs);
        m.site = text(in);
        m.line = text(in);
        m.state = text(in);
        m.rule = text(in);
        m.group = text(in);
        m.sinceMs = in.getLong();
        m.watermarkMs = in.getLong();
        m.nextSeq = in.getLong();
        for (int i = in.getInt(); i > 0; i--) {
            m.sources.put(text(in), new MachineState.Source(in.getLong(), nowMs));
        }
        for (int i = in.getInt(); i > 0; i--) {
            m.holding.put(text(in), in.getLong());
        }
        String[] tags = new String[in.getInt()];
        for (int i = 0; i < tags.length; i++) {
            tags[i] = m.tag(text(in));
            if (in.get() == 1) {
                m.latest.put(tags[i], new MachineState.TagValue(in.getDouble(), in.getLong()));
            }
        }
        for (int i = in.getInt(); i > 0; i--) {
            long time = in.getLong();
            long seq = in.getLong();
            double value = in.getDouble();
            String tag = tags[in.getInt()];
            m.pending.add(new Pending(time, seq, tag, value));
        }
        return m;
    }

    /** Tags are the machine's own copies ({@link MachineState#tag}): identity finds them, equals is the fallback. */
    private static int indexOf(String[] tags, int count, String tag) {
        for (int i = 0; i < count; i++) {
            if (tags[i] == tag) {
                return i;
            }
        }
        for (int i = 0; i < count; i++) {
            if (tags[i].equals(tag)) {
                return i;
            }
        }
        return -1;
    }

    private static String text(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0) {
            return null;
        }
        String text = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return text;
    }

    /** A growing heap buffer: its multi-byte puts compile to single stores. */
    private static final class Writer {
        private ByteBuffer buf;

        Writer(int capacity) {
            buf = ByteBuffer.allocate(capacity);
        }

        private ByteBuffer room(int n) {
            if (buf.remaining() < n) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n));
                buf = bigger.put(buf.flip());
            }
            return buf;
        }

        void putByte(byte b) {
            room(1).put(b);
        }

        void putInt(int v) {
            room(4).putInt(v);
        }

        void putLong(long v) {
            room(8).putLong(v);
        }

        void putDouble(double v) {
            room(8).putDouble(v);
        }

        void putText(String text) {
            if (text == null) {
                putInt(-1);
                return;
            }
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            room(4 + utf8.length).putInt(utf8.length).put(utf8);
        }

        byte[] bytes() {
            return Arrays.copyOf(buf.array(), buf.position());
        }
    }
}
