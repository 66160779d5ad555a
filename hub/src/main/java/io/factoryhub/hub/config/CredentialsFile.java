package io.factoryhub.hub.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * {@code <data-dir>/credentials.properties} (mode 0600): the credentials the embedded plant generated or took from
 * configuration, written once so scripts and later runs use the same ones. Keys are the contract's
 * ({@code mes.user}, {@code mes.password}, ...). Values are never logged.
 */
public final class CredentialsFile {

    public static final String FILE_NAME = "credentials.properties";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();

    private final Path file;

    public CredentialsFile(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
    }

    public Path path() {
        return file;
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(read().get(key));
    }

    /**
     * The value for {@code key}: {@code configured} when not blank, else the one already in the file, else a new
     * random one (when {@code generate}); the result is stored in the file.
     */
    public synchronized String resolve(String key, String configured, boolean generate) {
        Map<String, String> values = read();
        String value = configured != null && !configured.isBlank() ? configured : values.get(key);
        if (value == null) {
            if (!generate) {
                throw new IllegalStateException("No value for '" + key + "' in the configuration or in " + file);
            }
            value = randomSecret(24);
        }
        if (!value.equals(values.get(key))) {
            values.put(key, value);
            write(values);
        }
        return value;
    }

    public static String randomSecret(int length) {
        StringBuilder secret = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            secret.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return secret.toString();
    }

    private Map<String, String> read() {
        Map<String, String> values = new TreeMap<>();
        if (Files.isRegularFile(file)) {
            try (Reader reader = Files.newBufferedReader(file)) {
                Properties properties = new Properties();
                properties.load(reader);
                properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name)));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file, e);
            }
        }
        return values;
    }

    /** Written to a 0600 temp file first and moved in place, so the file is never readable by others, nor half written. */
    private void write(Map<String, String> values) {
        try {
            DataDir.secure(file.getParent());
            Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(DataDir.OWNER_ONLY_FILE));
            Properties properties = new Properties();
            properties.putAll(values);
            try (Writer writer = Files.newBufferedWriter(tmp)) {
                properties.store(writer, "factory-hub credentials (generated or taken from configuration); keep private");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
