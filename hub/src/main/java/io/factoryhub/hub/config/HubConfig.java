package io.factoryhub.hub.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The hub's configuration: built-in defaults, then an optional properties file ({@code --config}),
 * then environment variables, then system properties; later layers win.
 *
 * <p>Every key may come from the environment in its upper-case form with dots and dashes as
 * underscores: {@code factory.kafka.bootstrap-servers} is {@code FACTORY_KAFKA_BOOTSTRAP_SERVERS}.
 */
public final class HubConfig {

    public static final String DEFAULTS_RESOURCE = "factory-hub-defaults.properties";

    private final Map<String, String> values;

    private HubConfig(Map<String, String> values) {
        this.values = values;
    }

    /** Loads the layers; {@code configFile} may be null. */
    public static HubConfig load(Path configFile, Map<String, String> environment, Properties systemProperties) {
        Map<String, String> values = new TreeMap<>(readDefaults());
        if (configFile != null) {
            values.putAll(readFile(configFile));
        }
        // Only keys the hub knows (or file-defined ones) are taken from the environment/system:
        // anything else in the environment is none of our business.
        for (String key : values.keySet().toArray(String[]::new)) {
            String fromEnv = environment.get(envName(key));
            if (fromEnv != null) {
                values.put(key, fromEnv);
            }
            String fromSystem = systemProperties.getProperty(key);
            if (fromSystem != null) {
                values.put(key, fromSystem);
            }
        }
        return new HubConfig(values);
    }

    public static HubConfig defaults() {
        return load(null, Map.of(), new Properties());
    }

    /** Environment variable name for a key. */
    public static String envName(String key) {
        return key.toUpperCase().replace('.', '_').replace('-', '_');
    }

    public String get(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("Unknown configuration key '" + key + "'");
        }
        return value;
    }

    public int getInt(String key) {
        String value = get(key);
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Configuration key '" + key + "' must be a whole number, got '" + value + "'");
        }
    }

    public boolean getBoolean(String key) {
        String value = get(key).trim();
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("Configuration key '" + key + "' must be true or false, got '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    /** A path; relative ones are taken from {@code factory.home} (the launcher sets it to the install folder). */
    public Path getPath(String key) {
        Path path = Path.of(get(key));
        return path.isAbsolute() ? path : Path.of(get("factory.home")).resolve(path).normalize();
    }

    /** A copy with one value replaced (command-line options such as --data-dir). */
    public HubConfig with(String key, String value) {
        Map<String, String> copy = new TreeMap<>(values);
        copy.put(key, value);
        return new HubConfig(copy);
    }

    /** All values, for handing to Camel's properties component. */
    public Properties asProperties() {
        Properties properties = new Properties();
        properties.putAll(values);
        return properties;
    }

    private static Map<String, String> readDefaults() {
        try (InputStream in = HubConfig.class.getClassLoader().getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS_RESOURCE + " is missing from the classpath");
            }
            Properties properties = new Properties();
            properties.load(in);
            return PropertiesFile.toMap(properties);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> readFile(Path file) {
        return PropertiesFile.toMap(PropertiesFile.load(file, "Configuration file"));
    }
}
