package io.factoryhub.hub.lake;

import io.factoryhub.hub.config.CredentialsFile;
import io.factoryhub.hub.config.HubConfig;

/**
 * Where the lake's S3 is ({@code s3.*}): endpoint (blank = AWS itself), region, path-style addressing and
 * credentials. Blank credentials come from {@code <data-dir>/credentials.properties} (written by the embedded S3),
 * and when that has none either, from the AWS SDK's default chain (environment, profile, instance role).
 */
public record S3Settings(String endpoint, String region, boolean pathStyle, String accessKey, String secretKey) {

    public static S3Settings from(HubConfig config) {
        CredentialsFile credentials = new CredentialsFile(config.getPath("factory.data-dir"));
        String accessKey = orFromFile(config.get("s3.access-key"), credentials, "s3.access-key");
        String secretKey = orFromFile(config.get("s3.secret-key"), credentials, "s3.secret-key");
        return new S3Settings(config.get("s3.endpoint"), config.get("s3.region"), config.getBoolean("s3.path-style"),
                accessKey, secretKey);
    }

    private static String orFromFile(String configured, CredentialsFile credentials, String key) {
        return configured.isBlank() ? credentials.get(key).orElse("") : configured;
    }

    boolean hasCredentials() {
        return !accessKey.isBlank() && !secretKey.isBlank();
    }

    /** Never the secret: records print their components otherwise. */
    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint + ", region=" + region + ", pathStyle=" + pathStyle + "]";
    }
}
