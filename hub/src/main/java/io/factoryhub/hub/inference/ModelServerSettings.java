package io.factoryhub.hub.inference;

import io.factoryhub.hub.config.HubConfig;
import java.nio.file.Path;

/**
 * The model server's settings.
 *
 * @param repository     {@code factory.ml.model-repository}
 * @param intervalMillis how often the repository is checked for new versions ({@code factory.reload.interval-ms}, as
 *                       routes and connectors)
 */
public record ModelServerSettings(Path repository, long intervalMillis) {

    public static ModelServerSettings from(HubConfig config) {
        return new ModelServerSettings(config.getPath("factory.ml.model-repository"), config.getInt("factory.reload.interval-ms"));
    }
}
