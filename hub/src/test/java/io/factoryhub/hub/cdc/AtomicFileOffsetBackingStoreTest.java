package io.factoryhub.hub.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.runtime.standalone.StandaloneConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CDC offset store: what one run wrote, the next run reads, and a crash while writing leaves the old offsets. */
class AtomicFileOffsetBackingStoreTest {

    @TempDir
    Path dir;

    @Test
    void should_read_back_what_the_previous_run_wrote() throws Exception {
        Path file = dir.resolve("offsets.dat");
        AtomicFileOffsetBackingStore first = started(file);
        first.set(Map.of(bytes("mes-cdc"), bytes("{\"lsn\":1001}")), null).get(10, TimeUnit.SECONDS);
        first.set(Map.of(bytes("mes-cdc"), bytes("{\"lsn\":2002}")), null).get(10, TimeUnit.SECONDS);
        first.stop();

        AtomicFileOffsetBackingStore second = started(file);
        assertEquals(bytes("{\"lsn\":2002}"), second.get(List.of(bytes("mes-cdc"))).get(10, TimeUnit.SECONDS).get(bytes("mes-cdc")));
        second.stop();
        assertFalse(Files.exists(dir.resolve("offsets.dat.tmp")), "no temp file left behind");
    }

    @Test
    void should_keep_the_last_complete_offsets_when_a_write_was_cut_short() throws Exception {
        Path file = dir.resolve("offsets.dat");
        AtomicFileOffsetBackingStore first = started(file);
        first.set(Map.of(bytes("mes-cdc"), bytes("{\"lsn\":1001}")), null).get(10, TimeUnit.SECONDS);
        first.stop();
        // a kill in the middle of the next write leaves a half temp file; the offsets file itself is untouched
        Files.write(dir.resolve("offsets.dat.tmp"), new byte[] {(byte) 0xAC, (byte) 0xED, 0, 5});

        AtomicFileOffsetBackingStore second = started(file);
        assertEquals(bytes("{\"lsn\":1001}"), second.get(List.of(bytes("mes-cdc"))).get(10, TimeUnit.SECONDS).get(bytes("mes-cdc")));
        second.stop();
    }

    private static AtomicFileOffsetBackingStore started(Path file) {
        AtomicFileOffsetBackingStore store = new AtomicFileOffsetBackingStore();
        store.configure(new StandaloneConfig(Map.of(
                "bootstrap.servers", "localhost:9092",
                "key.converter", "org.apache.kafka.connect.json.JsonConverter",
                "value.converter", "org.apache.kafka.connect.json.JsonConverter",
                StandaloneConfig.OFFSET_STORAGE_FILE_FILENAME_CONFIG, file.toString())));
        store.start();
        return store;
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
