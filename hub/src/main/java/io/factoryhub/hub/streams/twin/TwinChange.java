package io.factoryhub.hub.streams.twin;

import com.fasterxml.jackson.databind.JsonNode;
import io.factoryhub.hub.streams.Reading;

/** What changes a machine's twin: a reading of one of its tags, or a transition of its state. */
sealed interface TwinChange {

    record TagRead(Reading reading) implements TwinChange {
    }

    /** @param event a {@code state-changed} event as the rules' part writes it on {@code factory.machine.events} */
    record StateChanged(JsonNode event) implements TwinChange {
    }
}
