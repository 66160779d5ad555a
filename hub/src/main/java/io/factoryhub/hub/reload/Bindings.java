package io.factoryhub.hub.reload;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values a kamelet's template placeholders take in one Pipe: the Pipe's properties, else the declared
 * defaults; {@code routeId} (the Pipe's name), {@code templateId} (the kamelet's) and the template's bean names.
 *
 * @param kamelet    the kamelet bound, null for a plain endpoint
 * @param given      the properties the Pipe sets, as text
 * @param routeId    the Pipe's route id
 * @param beanPrefix prefix that makes the template's bean names unique per Pipe and part
 */
record Bindings(Kamelet kamelet, Map<String, String> given, String routeId, String beanPrefix) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\?)?([\\w.\\-]+)}}");

    String beanName(String name) {
        return beanPrefix + "." + name;
    }

    /** The text with every placeholder of this kamelet replaced; others (the hub's own settings) stay. */
    String apply(String text) {
        return apply(text, true);
    }

    /** Whether the whole text is an optional placeholder of a kamelet property that is neither set nor defaulted. */
    boolean isUnsetOptional(String text) {
        Matcher matcher = PLACEHOLDER.matcher(text.trim());
        return kamelet != null && matcher.matches() && matcher.group(1) != null
                && kamelet.properties().contains(matcher.group(2)) && value(matcher.group(2), true) == null;
    }

    /** @param defaults whether declared defaults apply; off while a default is resolved, so defaults never recurse */
    private String apply(String text, boolean defaults) {
        if (kamelet == null || !text.contains("{{")) {
            return text;
        }
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String value = valueOf(matcher.group(2), matcher.group(1) != null, matcher.group(0), defaults);
            matcher.appendReplacement(result, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    private String valueOf(String name, boolean optional, String placeholder, boolean defaults) {
        if (kamelet.properties().contains(name)) {
            String value = value(name, defaults);
            if (value != null) {
                return value;
            }
            if (optional || !defaults) {
                return defaults ? "" : placeholder;
            }
            throw new PipeTranslator.PipeException(name, "not set, and kamelet '" + kamelet.name() + "' gives it no default");
        }
        if (name.equals("routeId")) {
            return routeId;
        }
        if (name.equals("templateId")) {
            return kamelet.name();
        }
        if (beanNames().contains(name)) {
            return beanName(name);
        }
        return placeholder;
    }

    /** The Pipe's value, else the default, which may itself name {@code {{routeId}}} or a property the Pipe sets. */
    private String value(String name, boolean defaults) {
        String value = given.get(name);
        if (value != null || !defaults) {
            return value;
        }
        String fallback = kamelet.defaultOf(name);
        return fallback == null ? null : apply(fallback, false);
    }

    private Set<String> beanNames() {
        return kamelet.template().get("beans") instanceof List<?> beans
                ? Set.copyOf(beans.stream().filter(Map.class::isInstance).map(b -> String.valueOf(((Map<?, ?>) b).get("name"))).toList())
                : Set.of();
    }
}
