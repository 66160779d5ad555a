package io.factoryhub.hub.streams.aggregates;

import io.factoryhub.hub.streams.Reading;
import java.util.LinkedHashMap;
import java.util.Map;

/** One machine's readings of one window, per tag. */
final class TagWindow {

    final Map<String, TagStats> tags = new LinkedHashMap<>();
    String site;
    String line;

    TagWindow add(Reading reading) {
        tags.computeIfAbsent(reading.tag(), tag -> new TagStats()).add(reading.value(), reading.unit());
        if (reading.site() != null) {
            site = reading.site();
        }
        if (reading.line() != null) {
            line = reading.line();
        }
        return this;
    }
}
