package io.factoryhub.hub.reload;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.catalog.EndpointValidationResult;
import org.apache.camel.catalog.RuntimeCamelCatalog;
import org.apache.camel.support.PluginHelper;

/** Checks an endpoint's component and options against the component's own metadata, without creating it. */
final class EndpointChecker {

    /** One finding: the option at fault (null for the component itself) and what is wrong. */
    record Finding(String option, String message) {
    }

    private final RuntimeCamelCatalog catalog;

    EndpointChecker(CamelContext context) {
        this.catalog = PluginHelper.getRuntimeCamelCatalog(context);
    }

    List<Finding> check(String uri, Map<String, String> parameters) {
        List<Finding> findings = new ArrayList<>();
        int colon = uri.indexOf(':');
        if (colon <= 0) {
            findings.add(new Finding(null, "'" + uri + "' is not an endpoint URI (scheme:path?options)"));
            return findings;
        }
        String scheme = uri.substring(0, colon);
        if (catalog.componentJSonSchema(scheme) == null) {
            findings.add(new Finding(null, "unknown component '" + scheme + "' in '" + uri + "' (not on the classpath)"));
            return findings;
        }
        Map<String, String> options = new LinkedHashMap<>(queryOptions(uri));
        options.putAll(parameters);
        EndpointValidationResult result = catalog.validateProperties(scheme, options);
        if (result.getUnknown() != null) {
            for (String option : result.getUnknown()) {
                findings.add(new Finding(option, "unknown option for component '" + scheme + "'"));
            }
        }
        return findings;
    }

    /** Query options only: path parts may hold property placeholders the catalog cannot parse. */
    static Map<String, String> queryOptions(String uri) {
        Map<String, String> options = new LinkedHashMap<>();
        int question = uri.indexOf('?');
        if (question < 0) {
            return options;
        }
        for (String pair : uri.substring(question + 1).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            options.put(equals < 0 ? pair : pair.substring(0, equals), equals < 0 ? "" : pair.substring(equals + 1));
        }
        return options;
    }
}
