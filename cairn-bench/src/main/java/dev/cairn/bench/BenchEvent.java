package dev.cairn.bench;

import dev.cairn.events.EventCatalogue;
import dev.cairn.events.EventType;

/** The typed events the replay benchmarks decode into: a one-type catalogue built like the orchestration one. */
public sealed interface BenchEvent {
    EventCatalogue<BenchEvent> CATALOGUE = EventCatalogue.of(BenchEvent.class);

    /** What {@link Workloads#PAYLOAD} decodes into. */
    @EventType(Workloads.TYPE)
    record Activity(String threadId, String turnId, String tone, String summary, String detail, String tool,
            int exitCode) implements BenchEvent {}
}
