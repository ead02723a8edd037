package dev.cairn.events.orchestration;

import dev.cairn.events.EventCatalogue;
import dev.cairn.events.EventData;
import dev.cairn.events.EventMetadata;
import dev.cairn.events.RecordedEvent;
import java.util.Optional;

/** The orchestration catalogue, and shortcuts from its events to the log and back. */
public final class Orchestration {
    /** Every orchestration event type, built from the {@link OrchestrationEvent} hierarchy. */
    public static final EventCatalogue<OrchestrationEvent> CATALOGUE = EventCatalogue.of(OrchestrationEvent.class);

    private Orchestration() {}

    /** The event as data to append (to {@link OrchestrationEvent#streamId()}). */
    public static EventData data(OrchestrationEvent event) {
        return CATALOGUE.toData(event);
    }

    public static EventData data(OrchestrationEvent event, EventMetadata metadata) {
        return CATALOGUE.toData(event, metadata);
    }

    /** The typed event of a stored one; empty when it is not an orchestration event this Cairn knows. */
    public static Optional<OrchestrationEvent> decode(RecordedEvent event) {
        return CATALOGUE.decode(event);
    }
}
