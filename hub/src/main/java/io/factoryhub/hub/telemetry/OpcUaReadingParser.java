package io.factoryhub.hub.telemetry;

import io.factoryhub.hub.opcua.OpcUaHeaders;
import io.factoryhub.hub.opcua.OpcUaNodePath;
import io.factoryhub.hub.opcua.OpcUaQuality;
import java.util.Map;
import java.util.Optional;

/**
 * OPC-UA data changes from the {@code opcua-subscription} consumer: the body is the value, headers carry
 * node id, source time and quality. A node path {@code Site/Line/Machine/Tag} fills site, line, machine and tag.
 *
 * <p>A {@code BAD} value is a reading too: OPC-UA says the value of a Bad DataValue is to be ignored (servers send
 * none), so a BAD change without a number becomes an event with {@code "value": null}, not a dead letter; consumers
 * see the sensor fail. A number that came with the Bad status is kept.
 */
final class OpcUaReadingParser implements ReadingParser {

    @Override
    public Reading parse(Object body, ReadingContext context) {
        Map<String, Object> headers = context.headers();
        Object qualityHeader = headers.get(OpcUaHeaders.QUALITY);
        String quality = qualityHeader == null ? OpcUaQuality.GOOD.name() : qualityHeader.toString();
        Optional<OpcUaNodePath> path = OpcUaNodePath.of(context.address());
        ReadingContext.Defaults defaults = context.defaults();
        Object sourceTime = headers.get(OpcUaHeaders.SOURCE_TIME);
        return new Reading(
                Values.required("machineId", Values.firstNonBlank(defaults.machineId(), path.map(OpcUaNodePath::machine).orElse(null))),
                null,
                Values.required("tag", Values.firstNonBlank(defaults.tag(), context.addressTail())),
                value(body, OpcUaQuality.BAD.name().equals(quality)),
                defaults.unit(),
                quality,
                Values.time("sourceTime", sourceTime == null ? null : sourceTime.toString()),
                Values.firstNonBlank(defaults.site(), path.map(OpcUaNodePath::site).orElse(null)),
                Values.firstNonBlank(defaults.line(), path.map(OpcUaNodePath::line).orElse(null)));
    }

    private static Double value(Object body, boolean bad) {
        if (body == null) {
            if (bad) {
                return null;
            }
            throw new InvalidTelemetryException("OPC-UA data change without a value");
        }
        String raw = body instanceof byte[] ? Values.text(body) : body.toString();
        if (body instanceof Boolean flag) {
            raw = flag ? "1" : "0";
        }
        try {
            return Values.number("value", raw);
        } catch (InvalidTelemetryException notANumber) {
            if (bad) {
                return null;
            }
            throw notANumber;
        }
    }
}
