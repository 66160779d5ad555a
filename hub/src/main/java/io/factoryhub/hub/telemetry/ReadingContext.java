package io.factoryhub.hub.telemetry;

/**
 * What a parser knows besides the payload: where it came from and the connector's defaults.
 *
 * @param address  MQTT topic or OPC-UA node id the payload arrived on
 * @param headers  protocol headers (OPC-UA source time, quality, ...)
 * @param defaults values the connector configured for fields the payload may lack
 */
public record ReadingContext(String address, java.util.Map<String, Object> headers, Defaults defaults) {

    /** Connector-level defaults, each may be null. */
    public record Defaults(String machineId, String tag, String site, String line, String unit) {
    }

    /** Last segment of the address: the tag when the payload carries none. */
    public String addressTail() {
        if (address == null || address.isEmpty()) {
            return null;
        }
        int end = address.length();
        while (end > 0 && isSeparator(address.charAt(end - 1))) {
            end--;
        }
        int start = end;
        while (start > 0 && !isSeparator(address.charAt(start - 1))) {
            start--;
        }
        return start == end ? null : address.substring(start, end);
    }

    private static boolean isSeparator(char c) {
        return c == '/' || c == '.';
    }
}
