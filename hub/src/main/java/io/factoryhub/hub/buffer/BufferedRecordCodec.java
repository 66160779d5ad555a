package io.factoryhub.hub.buffer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The buffer's on-disk form of a {@link BufferedRecord}: a version byte, then its fields, length-prefixed. */
final class BufferedRecordCodec {

    private static final int VERSION = 1;

    private BufferedRecordCodec() {
    }

    static byte[] encode(BufferedRecord record) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(record.sizeInBytes() + 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(record.acceptedAt());
            out.writeUTF(record.topic());
            writeBytes(out, record.key());
            writeBytes(out, record.value());
            out.writeShort(record.headers().size());
            for (BufferedRecord.Header header : record.headers()) {
                out.writeUTF(header.name());
                writeBytes(out, header.value());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    static BufferedRecord decode(byte[] encoded) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IOException("buffered record of unknown version " + version);
            }
            long acceptedAt = in.readLong();
            String topic = in.readUTF();
            byte[] key = readBytes(in);
            byte[] value = readBytes(in);
            int headerCount = in.readUnsignedShort();
            List<BufferedRecord.Header> headers = new ArrayList<>(headerCount);
            for (int i = 0; i < headerCount; i++) {
                headers.add(new BufferedRecord.Header(in.readUTF(), readBytes(in)));
            }
            return new BufferedRecord(topic, key, value, headers, acceptedAt);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(value.length);
            out.write(value);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] value = new byte[length];
        in.readFully(value);
        return value;
    }
}
