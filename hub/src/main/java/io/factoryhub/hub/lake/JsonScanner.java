package io.factoryhub.hub.lake;

/**
 * Whether bytes are exactly one JSON value (RFC 8259 grammar) on one line, so they can be embedded in an NDJSON line
 * as they are. Written out instead of asking Jackson because it runs for every record: creating a Jackson parser per
 * ~200-byte value cost ~1 µs, about as much as encoding and compressing the record (measured with bench lake); this
 * scan is a fraction of that. Strings are checked for escapes and control characters, not for UTF-8 validity.
 */
final class JsonScanner {

    private static final int MAX_DEPTH = 256;

    private final byte[] b;
    private int i;

    private JsonScanner(byte[] bytes) {
        this.b = bytes;
    }

    static boolean isSingleLineValue(byte[] bytes) {
        JsonScanner s = new JsonScanner(bytes);
        try {
            s.space();
            if (!s.value(0)) {
                return false;
            }
            s.space();
            return s.i == bytes.length;
        } catch (ArrayIndexOutOfBoundsException truncated) {
            return false;
        }
    }

    /** Blanks allowed inside a line: space and tab (a newline would end the NDJSON line). */
    private void space() {
        while (i < b.length && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
    }

    private boolean value(int depth) {
        if (i >= b.length || depth > MAX_DEPTH) {
            return false;
        }
        return switch (b[i]) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        };
    }

    private boolean object(int depth) {
        i++;
        space();
        if (b[i] == '}') {
            i++;
            return true;
        }
        while (true) {
            if (b[i] != '"' || !string()) {
                return false;
            }
            space();
            if (b[i++] != ':') {
                return false;
            }
            space();
            if (!value(depth + 1)) {
                return false;
            }
            space();
            byte next = b[i++];
            if (next == '}') {
                return true;
            }
            if (next != ',') {
                return false;
            }
            space();
        }
    }

    private boolean array(int depth) {
        i++;
        space();
        if (b[i] == ']') {
            i++;
            return true;
        }
        while (true) {
            if (!value(depth + 1)) {
                return false;
            }
            space();
            byte next = b[i++];
            if (next == ']') {
                return true;
            }
            if (next != ',') {
                return false;
            }
            space();
        }
    }

    private boolean string() {
        i++;
        while (true) {
            byte c = b[i++];
            if (c == '"') {
                return true;
            }
            if (c >= 0 && c < 0x20) {
                return false;
            }
            if (c == '\\') {
                byte e = b[i++];
                if (e == 'u') {
                    for (int k = 0; k < 4; k++) {
                        if (Character.digit(b[i++], 16) < 0) {
                            return false;
                        }
                    }
                } else if ("\"\\/bfnrt".indexOf(e) < 0) {
                    return false;
                }
            }
        }
    }

    private boolean literal(String word) {
        for (int k = 0; k < word.length(); k++) {
            if (b[i++] != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
    private boolean number() {
        if (i < b.length && b[i] == '-') {
            i++;
        }
        if (i < b.length && b[i] == '0') {
            i++;
        } else if (digits() == 0) {
            return false;
        }
        if (i < b.length && b[i] == '.') {
            i++;
            if (digits() == 0) {
                return false;
            }
        }
        if (i < b.length && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (i < b.length && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            return digits() > 0;
        }
        return true;
    }

    private int digits() {
        int start = i;
        while (i < b.length && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        return i - start;
    }
}
