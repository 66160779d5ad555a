package io.factoryhub.hub.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** A {@code .properties} file the hub reads (its configuration, Debezium's, MirrorMaker's), with errors naming it. */
public final class PropertiesFile {

    private PropertiesFile() {
    }

    /** @param what says what the file is for, in the error when it is missing */
    public static Properties load(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(what + " " + file + " does not exist");
        }
        try (Reader reader = Files.newBufferedReader(file)) {
            Properties properties = new Properties();
            properties.load(reader);
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** The same as a sorted map with trimmed values. */
    public static Map<String, String> toMap(Properties properties) {
        Map<String, String> map = new TreeMap<>();
        properties.stringPropertyNames().forEach(name -> map.put(name, properties.getProperty(name).trim()));
        return map;
    }
}
