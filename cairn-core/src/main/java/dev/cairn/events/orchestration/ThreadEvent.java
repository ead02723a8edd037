package dev.cairn.events.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.events.EventType;
import java.util.List;

/**
 * The events of a thread: one conversation with an agent in a project, made of turns (a request and the agent's work
 * on it) and messages. Stream {@code thread:ID}.
 */
public sealed interface ThreadEvent extends OrchestrationEvent {
    String threadId();

    @Override
    default String streamId() {
        return "thread:" + threadId();
    }

    /** A thread was started in a project. */
    @EventType("thread.created")
    record Created(String threadId, String projectId, String title, String model, String branch, String worktreePath)
            implements ThreadEvent {
        public Created {
            Require.id(threadId, "threadId");
            Require.id(projectId, "projectId");
            Require.text(title, "title");
        }
    }

    /** Some of a thread's details changed; a null field is unchanged. */
    @EventType("thread.meta-updated")
    record MetaUpdated(String threadId, String title, String model, String branch, String worktreePath)
            implements ThreadEvent {
        public MetaUpdated {
            Require.id(threadId, "threadId");
        }
    }

    /** A thread was archived: kept, but out of the default list. */
    @EventType("thread.archived")
    record Archived(String threadId) implements ThreadEvent {
        public Archived {
            Require.id(threadId, "threadId");
        }
    }

    /** An archived thread was brought back. */
    @EventType("thread.unarchived")
    record Unarchived(String threadId) implements ThreadEvent {
        public Unarchived {
            Require.id(threadId, "threadId");
        }
    }

    /** A thread was deleted with its turns and messages. */
    @EventType("thread.deleted")
    record Deleted(String threadId) implements ThreadEvent {
        public Deleted {
            Require.id(threadId, "threadId");
        }
    }

    /** How freely the thread's agent may act changed. */
    @EventType("thread.runtime-mode-set")
    record RuntimeModeSet(String threadId, RuntimeMode mode) implements ThreadEvent {
        public RuntimeModeSet {
            Require.id(threadId, "threadId");
            Require.present(mode, "mode");
        }
    }

    /** How the thread's agent works changed. */
    @EventType("thread.interaction-mode-set")
    record InteractionModeSet(String threadId, InteractionMode mode) implements ThreadEvent {
        public InteractionModeSet {
            Require.id(threadId, "threadId");
            Require.present(mode, "mode");
        }
    }

    /**
     * A message was added. A streaming message starts with the text so far (often empty), grows by
     * {@link MessageDeltaAppended}, and ends with {@link MessageCompleted}.
     */
    @EventType("thread.message-sent")
    record MessageSent(String threadId, String messageId, String turnId, Role role, String text, boolean streaming)
            implements ThreadEvent {
        public MessageSent {
            Require.id(threadId, "threadId");
            Require.id(messageId, "messageId");
            Require.optionalId(turnId, "turnId");
            Require.present(role, "role");
            Require.present(text, "text");
        }
    }

    /** More text of a streaming message arrived. */
    @EventType("thread.message-delta-appended")
    record MessageDeltaAppended(String threadId, String messageId, String delta) implements ThreadEvent {
        public MessageDeltaAppended {
            Require.id(threadId, "threadId");
            Require.id(messageId, "messageId");
            Require.present(delta, "delta");
        }
    }

    /** A streaming message is complete. */
    @EventType("thread.message-completed")
    record MessageCompleted(String threadId, String messageId) implements ThreadEvent {
        public MessageCompleted {
            Require.id(threadId, "threadId");
            Require.id(messageId, "messageId");
        }
    }

    /** A turn was asked for, usually by the user's message {@code messageId}. */
    @EventType("thread.turn-start-requested")
    record TurnStartRequested(String threadId, String turnId, String messageId) implements ThreadEvent {
        public TurnStartRequested {
            Require.id(threadId, "threadId");
            Require.id(turnId, "turnId");
            Require.optionalId(messageId, "messageId");
        }
    }

    /** The agent began working on a turn. */
    @EventType("thread.turn-started")
    record TurnStarted(String threadId, String turnId) implements ThreadEvent {
        public TurnStarted {
            Require.id(threadId, "threadId");
            Require.id(turnId, "turnId");
        }
    }

    /** A turn was stopped before it completed. */
    @EventType("thread.turn-interrupted")
    record TurnInterrupted(String threadId, String turnId, String reason) implements ThreadEvent {
        public TurnInterrupted {
            Require.id(threadId, "threadId");
            Require.id(turnId, "turnId");
        }
    }

    /**
     * A turn ended: with a checkpoint of the worktree (its ref, and whether it could be taken) and the files it
     * changed; {@code error} is set when the turn failed.
     */
    @EventType("thread.turn-completed")
    record TurnCompleted(String threadId, String turnId, String checkpointRef, CheckpointStatus checkpointStatus,
            List<String> changedFiles, String error) implements ThreadEvent {
        public TurnCompleted {
            Require.id(threadId, "threadId");
            Require.id(turnId, "turnId");
            Require.present(checkpointStatus, "checkpointStatus");
            changedFiles = Require.list(changedFiles, "changedFiles");
        }
    }

    /** The thread was rewound to the checkpoint of turn {@code turnId}: the turns after it are undone. */
    @EventType("thread.checkpoint-reverted")
    record CheckpointReverted(String threadId, String turnId, String checkpointRef) implements ThreadEvent {
        public CheckpointReverted {
            Require.id(threadId, "threadId");
            Require.id(turnId, "turnId");
        }
    }

    /** The agent asks before acting: {@code kind} says what (a command, a file change), {@code summary} the detail. */
    @EventType("thread.approval-requested")
    record ApprovalRequested(String threadId, String approvalId, String turnId, String kind, String summary)
            implements ThreadEvent {
        public ApprovalRequested {
            Require.id(threadId, "threadId");
            Require.id(approvalId, "approvalId");
            Require.optionalId(turnId, "turnId");
            Require.text(kind, "kind");
            Require.present(summary, "summary");
        }
    }

    /** An approval request was answered. */
    @EventType("thread.approval-decided")
    record ApprovalDecided(String threadId, String approvalId, ApprovalDecision decision) implements ThreadEvent {
        public ApprovalDecided {
            Require.id(threadId, "threadId");
            Require.id(approvalId, "approvalId");
            Require.present(decision, "decision");
        }
    }

    /**
     * Something the agent did or saw, for the thread's activity feed (tool calls, notices, errors). Not projected: read
     * the thread's stream for the feed.
     */
    @EventType("thread.activity-appended")
    record ActivityAppended(String threadId, String activityId, String turnId, ActivityTone tone, String summary,
            JsonNode detail) implements ThreadEvent {
        public ActivityAppended {
            Require.id(threadId, "threadId");
            Require.id(activityId, "activityId");
            Require.optionalId(turnId, "turnId");
            Require.present(tone, "tone");
            Require.present(summary, "summary");
        }
    }
}
