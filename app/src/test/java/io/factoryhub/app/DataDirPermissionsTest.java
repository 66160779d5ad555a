package io.factoryhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.factoryhub.app.plant.EmbeddedPlant;
import io.factoryhub.app.support.HubUnderTest;
import io.factoryhub.app.support.TestPlant;
import io.factoryhub.hub.config.CredentialsFile;
import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.plant.tls.TlsMaterial;
import io.factoryhub.testkit.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data dir (0700), its credentials file and the generated TLS material (0600) are the owner's alone after a start:
 * created so, and tightened when an earlier version left them open.
 */
class DataDirPermissionsTest {

    private static final String OPEN_DIR = "rwxr-xr-x";
    private static final String OPEN_FILE = "rw-r--r--";

    @Test
    void should_create_the_data_dir_and_what_the_plant_generates_owner_only(@TempDir Path tmp) throws Exception {
        Path dataDir = tmp.resolve("site").resolve("data");
        try (EmbeddedPlant plant = externalPlant(dataDir).start()) {
            assertOwnerOnly(dataDir);
        }
    }

    @Test
    void should_tighten_a_data_dir_left_open_by_an_earlier_version(@TempDir Path tmp) throws Exception {
        Path dataDir = tmp.resolve("data");
        Path tls = dataDir.resolve("tls");
        new TlsMaterial(tls).ensure();
        Path credentials = dataDir.resolve(CredentialsFile.FILE_NAME);
        Files.writeString(credentials, "external.admin.user=admin\n");
        chmod(dataDir, OPEN_DIR);
        chmod(tls, OPEN_DIR);
        for (Path file : List.of(credentials, tls.resolve("ca.crt"), tls.resolve("broker.crt"), tls.resolve("broker.key"))) {
            chmod(file, OPEN_FILE);
        }
        try (EmbeddedPlant plant = externalPlant(dataDir).start()) {
            assertOwnerOnly(dataDir);
        }
    }

    @Test
    void should_tighten_the_data_dir_when_the_hub_starts_without_the_plant(@TempDir Path tmp) throws Exception {
        Path dataDir = Files.createDirectories(tmp.resolve("data"));
        chmod(dataDir, OPEN_DIR);
        try (HubUnderTest hub = new HubUnderTest(TestPlant.shared(), Map.of("factory.data-dir", dataDir.toString())).start()) {
            assertEquals("rwx------", mode(dataDir));
        }
    }

    private static EmbeddedPlant externalPlant(Path dataDir) {
        HubConfig base = HubConfig.defaults().with("factory.home", HubUnderTest.REPO.toString())
                .with("factory.kafka.bootstrap-servers", TestPlant.shared().bootstrapServers());
        return new EmbeddedPlant(EmbeddedPlant.externalOnly(base, dataDir, FreePorts.next(), FreePorts.next()));
    }

    private static void assertOwnerOnly(Path dataDir) throws Exception {
        Path tls = dataDir.resolve("tls");
        assertEquals("rwx------", mode(dataDir), "data dir");
        assertEquals("rwx------", mode(tls), "TLS folder");
        for (Path file : List.of(dataDir.resolve(CredentialsFile.FILE_NAME), tls.resolve("ca.crt"), tls.resolve("broker.crt"),
                tls.resolve("broker.key"))) {
            assertEquals("rw-------", mode(file), file.toString());
        }
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static void chmod(Path path, String mode) throws Exception {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    }
}
