package io.factoryhub.hub.rules;

/**
 * A rule document that is not a valid rule.
 *
 * @param path where in the document, as a JSON pointer ({@code /spec/when/all/0/op}); "" for the whole document
 */
public final class RuleException extends Exception {

    private final String path;

    public RuleException(String path, String message) {
        super(message);
        this.path = path;
    }

    public String path() {
        return path;
    }

    /** The property at fault in a message: the pointer's last names, e.g. {@code spec.when.all[0].op}. */
    public String property() {
        StringBuilder property = new StringBuilder();
        for (String name : path.split("/")) {
            if (name.isEmpty()) {
                continue;
            }
            if (name.chars().allMatch(Character::isDigit)) {
                property.append('[').append(name).append(']');
            } else {
                property.append(property.isEmpty() ? "" : ".").append(name);
            }
        }
        return property.toString();
    }
}
