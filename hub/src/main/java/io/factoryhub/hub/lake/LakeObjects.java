package io.factoryhub.hub.lake;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Reading lake objects back: gunzip, split lines, decode each; all or nothing, so a corrupt object is skipped whole. */
public final class LakeObjects {

    private LakeObjects() {
    }

    /** The records of one object, in its order; throws (IOException) on a broken gzip stream or a line that is not a record. */
    public static List<LakeRecord> decode(byte[] object) throws IOException {
        List<LakeRecord> records = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(object), 64 * 1024)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream(512);
            byte[] buffer = new byte[64 * 1024];
            int n;
            int lineNo = 0;
            while ((n = in.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lineNo++;
                        records.add(decodeLine(line.toByteArray(), lineNo));
                        line.reset();
                    } else {
                        line.write(buffer[i]);
                    }
                }
            }
            if (line.size() > 0) {
                throw new IOException("line " + (lineNo + 1) + " is cut off (no newline at the end of the object)");
            }
        }
        return records;
    }

    private static LakeRecord decodeLine(byte[] line, int lineNo) throws IOException {
        try {
            return NdjsonCodec.read(line);
        } catch (IOException e) {
            throw new IOException("line " + lineNo + ": " + e.getMessage(), e);
        }
    }
}
