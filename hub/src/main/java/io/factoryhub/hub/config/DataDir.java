package io.factoryhub.hub.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data dir holds credentials, private keys, the MES database and every buffered record: only its owner may enter
 * it (0700), and the credentials file is the owner's alone (0600). Created that way, and a data dir of an earlier
 * version (created with the umask's 0755) is tightened on every start.
 */
public final class DataDir {

    private static final Logger LOG = LoggerFactory.getLogger(DataDir.class);
    static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    private DataDir() {
    }

    /** Creates {@code dir} (0700) or tightens it, and tightens its credentials file; returns {@code dir}. */
    public static Path secure(Path dir) {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir.toAbsolutePath().getParent());
                if (posix) {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
                } else {
                    Files.createDirectory(dir);
                }
            }
            if (posix) {
                tighten(dir, OWNER_ONLY_DIR);
                Path credentials = dir.resolve(CredentialsFile.FILE_NAME);
                if (Files.isRegularFile(credentials)) {
                    tighten(credentials, OWNER_ONLY_FILE);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data dir " + dir + " (factory.data-dir, --data-dir)", e);
        }
        return dir;
    }

    private static void tighten(Path path, Set<PosixFilePermission> permissions) throws IOException {
        if (!Files.getPosixFilePermissions(path).equals(permissions)) {
            Files.setPosixFilePermissions(path, permissions);
            LOG.info("Tightened {} to {}", path, PosixFilePermissions.toString(permissions));
        }
    }
}
