package io.factoryhub.hub.cdc;

import io.debezium.embedded.KafkaConnectUtil;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.runtime.standalone.StandaloneConfig;
import org.apache.kafka.connect.storage.FileOffsetBackingStore;

/**
 * Kafka's file offset store, written crash-safe: to a temp file, synced, then moved in place.
 *
 * <p>Why: {@link FileOffsetBackingStore} overwrites the file in place, and reads a truncated file as "no offsets".
 * A hub killed while writing (offsets are written after every batch) then started with a new snapshot, hours of
 * rows again as {@code op=r}, instead of resuming from the slot (seen in MesCdcRecoveryTest under load). Same file
 * format, so existing offset files stay valid.
 */
public final class AtomicFileOffsetBackingStore extends FileOffsetBackingStore {

    private Path file;

    /** Debezium instantiates offset stores other than its three known ones through a no-argument constructor. */
    public AtomicFileOffsetBackingStore() {
        super(KafkaConnectUtil.converterForOffsetStore());
    }

    @Override
    public void configure(WorkerConfig config) {
        super.configure(config);
        file = Path.of(config.getString(StandaloneConfig.OFFSET_STORAGE_FILE_FILENAME_CONFIG));
    }

    @Override
    protected void save() {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Map<byte[], byte[]> raw = new HashMap<>();
        for (Map.Entry<ByteBuffer, ByteBuffer> entry : data.entrySet()) {
            raw.put(entry.getKey() == null ? null : entry.getKey().array(), entry.getValue() == null ? null : entry.getValue().array());
        }
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ObjectOutputStream out = new ObjectOutputStream(Channels.newOutputStream(channel));
            out.writeObject(raw);
            out.flush();
            channel.force(true);
        } catch (IOException e) {
            throw new ConnectException("Cannot write CDC offsets to " + tmp, e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new ConnectException("Cannot move CDC offsets into " + file, e);
        }
    }
}
