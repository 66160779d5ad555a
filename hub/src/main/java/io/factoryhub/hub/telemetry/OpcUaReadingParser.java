package io.factoryhub.hub.telemetry;

import java.util.Map;

/**
 * OPC-UA data changes from the {@code opcua-subscription} consumer: the body is the value, headers carry
 * node id, source time and quality. A node path {@code Site/Line/Machine/Tag} fills site, line, machine and tag.
 */
final class OpcUaReadingParser implements ReadingParser {

    static final String HEADER_SOURCE_TIME = "CamelOpcUaSourceTime";
    static final String HEADER_QUALITY = "CamelOpcUaQuality";

    @Override
    public Reading parse(Object body, ReadingContext context) {
        if (body == null) {
            throw new InvalidTelemetryException("OPC-UA data change without a value");
        }
        String raw = body instanceof byte[] ? Values.text(body) : body.toString();
        if (body instanceof Boolean flag) {
            raw = flag ? "1" : "0";
        }
        Map<String, Object> headers = context.headers();
        String[] path = nodePath(context.address());
        ReadingContext.Defaults defaults = context.defaults();
        Object sourceTime = headers.get(HEADER_SOURCE_TIME);
        Object quality = headers.get(HEADER_QUALITY);
        return new Reading(
                Values.required("machineId", Values.firstNonBlank(defaults.machineId(), path.length == 4 ? path[2] : null)),
                null,
                Values.required("tag", Values.firstNonBlank(defaults.tag(), context.addressTail())),
                Values.number("value", raw),
                defaults.unit(),
                quality == null ? "GOOD" : quality.toString(),
                Values.time("sourceTime", sourceTime == null ? null : sourceTime.toString()),
                Values.firstNonBlank(defaults.site(), path.length == 4 ? path[0] : null),
                Values.firstNonBlank(defaults.line(), path.length == 4 ? path[1] : null));
    }

    /** The string identifier of {@code ns=2;s=a/b/c/d} (or {@code nsu=...;s=...}) split on '/'. */
    private static String[] nodePath(String nodeId) {
        if (nodeId == null) {
            return new String[0];
        }
        int idStart = nodeId.indexOf(";s=");
        String identifier = idStart >= 0 ? nodeId.substring(idStart + 3) : nodeId;
        return identifier.split("/");
    }
}
