package io.factoryhub.hub.inference;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * What the server serves: one loaded version per model name, swapped whole, and the models of the repository that
 * have no version that loads (with why). Requests read it, only the repository watcher changes it.
 */
final class ModelCatalog {

    private final ConcurrentMap<String, LoadedModel> served = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, String> unavailable = new ConcurrentHashMap<>();

    /** Serves {@code model} for its name from now on; the version it replaces closes once its requests are done. */
    void serve(LoadedModel model) {
        LoadedModel previous = served.put(model.name(), model);
        unavailable.remove(model.name()); // after: a request in between finds the model either way
        if (previous != null) {
            previous.retire();
        }
    }

    /** The model is in the repository but nothing of it can be served (it is not ready). */
    void unavailable(String name, String reason) {
        unavailable.put(name, reason);
        withdraw(name);
    }

    /** Gone from the repository. */
    void remove(String name) {
        unavailable.remove(name);
        withdraw(name);
    }

    private void withdraw(String name) {
        LoadedModel previous = served.remove(name);
        if (previous != null) {
            previous.retire();
        }
    }

    Optional<LoadedModel> served(String name) {
        return Optional.ofNullable(served.get(name));
    }

    /** Every model name known, served or not. */
    Set<String> names() {
        Set<String> names = new TreeSet<>(served.keySet());
        names.addAll(unavailable.keySet());
        return names;
    }

    /** Name to served version, sorted by name. */
    Map<String, Long> versions() {
        Map<String, Long> versions = new TreeMap<>();
        served.forEach((name, model) -> versions.put(name, model.version()));
        return versions;
    }

    /** Every model of the repository is served. */
    boolean allReady() {
        return unavailable.isEmpty();
    }

    /**
     * The model for a request, held by the caller until it calls {@link LoadedModel#release()}.
     *
     * @param version the version the request names, null for whichever is served
     */
    LoadedModel acquire(String name, String version) throws OipException {
        while (true) {
            LoadedModel model = find(name, version);
            if (model.tryAcquire()) {
                return model;
            }
            // replaced and closed between the lookup and now: the map has its successor (or nothing) already
        }
    }

    /** The model a request names, without holding it (metadata, readiness). */
    LoadedModel find(String name, String version) throws OipException {
        LoadedModel model = served.get(name);
        if (model == null) {
            String reason = unavailable.get(name);
            if (reason != null) {
                throw OipException.unavailable("model '" + name + "' is not ready: " + reason);
            }
            throw OipException.notFound("model '" + name + "' is not in the repository");
        }
        if (version != null && !version.equals(Long.toString(model.version()))) {
            throw OipException.notFound("model '" + name + "' has no version '" + version + "' served; version "
                    + model.version() + " is (the latest that loads)");
        }
        return model;
    }
}
