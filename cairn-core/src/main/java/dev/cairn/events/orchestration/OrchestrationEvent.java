package dev.cairn.events.orchestration;

/**
 * The events of an agent orchestration server: projects, their threads (conversations with an agent, made of turns and
 * messages), and settings. Each aggregate is a sealed interface whose records are its events; each record names its
 * stored type with {@link dev.cairn.events.EventType}; {@link Orchestration#CATALOGUE} is built from this hierarchy.
 *
 * <p>Left out of the server this ports, on purpose: provider session lifecycle ({@code session-set},
 * {@code session-stop-requested}) belongs to the run ledger; {@code turn-interrupt-requested},
 * {@code approval-response-requested} and {@code checkpoint-revert-requested} are requests, and the log records what
 * happened ({@code turn-interrupted}, {@code approval-decided}, {@code checkpoint-reverted});
 * {@code turn-diff-completed} is folded into {@code turn-completed}, which carries the changed files; proposed plans
 * and user-input requests are activities ({@code activity-appended}) until a runtime needs them typed.
 */
public sealed interface OrchestrationEvent permits ProjectEvent, ThreadEvent, SettingEvent {
    /** The stream the event belongs to: {@code project:ID}, {@code thread:ID} or {@code setting:KEY}. */
    String streamId();
}
