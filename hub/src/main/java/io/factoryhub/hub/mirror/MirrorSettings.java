package io.factoryhub.hub.mirror;

import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.hub.config.PropertiesFile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code mirror-config/mm2.properties} as MirrorMaker2 gets it: the file's source alias renamed to the site
 * ({@code factory.site}), and, in memory only, the clusters' bootstrap servers and the external cluster's
 * credentials. The file names two clusters, the factory first, the external (target) cluster second.
 */
public final class MirrorSettings {

    private final String fileAlias;
    private final String site;
    private final String target;
    private final Map<String, String> properties;

    private MirrorSettings(String fileAlias, String site, String target, Map<String, String> properties) {
        this.fileAlias = fileAlias;
        this.site = site;
        this.target = target;
        this.properties = properties;
    }

    public static MirrorSettings from(HubConfig config) {
        return load(config.getPath("factory.mirror.config"), config.get("factory.site"));
    }

    public static MirrorSettings load(Path file, String site) {
        Map<String, String> raw = read(file);
        List<String> clusters = Arrays.stream(raw.getOrDefault("clusters", "").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (clusters.size() != 2) {
            throw new IllegalArgumentException(file + ": 'clusters' must name the factory and the external cluster, got " + clusters);
        }
        String fileAlias = clusters.get(0);
        Pattern alias = Pattern.compile("(^|->)" + Pattern.quote(fileAlias) + "(?=\\.|->)");
        Map<String, String> renamed = new TreeMap<>();
        raw.forEach((key, value) -> renamed.put(alias.matcher(key).replaceAll("$1" + Matcher.quoteReplacement(site)), value));
        renamed.put("clusters", site + ", " + clusters.get(1));
        return new MirrorSettings(fileAlias, site, clusters.get(1), renamed);
    }

    /** The alias the file is written for (plant-a); ACL resource names use it too. */
    public String fileAlias() {
        return fileAlias;
    }

    /** The source alias in use: mirrored topics are {@code <site>.<topic>}. */
    public String site() {
        return site;
    }

    public String target() {
        return target;
    }

    /** The file's settings after renaming; no connection details, no secrets. */
    public Map<String, String> properties() {
        return Map.copyOf(properties);
    }

    /** A setting of the one flow, {@code <site>-><target>.<name>}, else the top-level one, else null. */
    public String flowSetting(String name) {
        return properties.getOrDefault(site + "->" + target + "." + name, properties.get(name));
    }

    /** Everything MirrorMaker needs: the file's settings plus both clusters' connections (in memory only). */
    public Map<String, String> withConnections(String factoryBootstrapServers, ExternalCluster external) {
        Map<String, String> all = new TreeMap<>(properties);
        all.put(site + ".bootstrap.servers", factoryBootstrapServers);
        all.put(target + ".bootstrap.servers", external.bootstrapServers());
        external.securityProperties().forEach((key, value) -> all.put(target + "." + key, value));
        return all;
    }

    private static Map<String, String> read(Path file) {
        return PropertiesFile.toMap(PropertiesFile.load(file, "MirrorMaker2 configuration (factory.mirror.config)"));
    }
}
