package dev.cairn.server.internal;

import dev.cairn.Cairn;
import dev.cairn.ConflictException;
import dev.cairn.InvalidInputException;
import dev.cairn.events.EventData;
import dev.cairn.events.EventMetadata;
import dev.cairn.events.EventQuery;
import dev.cairn.events.ExpectedVersion;
import dev.cairn.events.LogPosition;
import dev.cairn.goals.Budget;
import dev.cairn.goals.BudgetUse;
import dev.cairn.goals.ClaimResult;
import dev.cairn.goals.ControllerClaim;
import dev.cairn.goals.DecisionSpec;
import dev.cairn.goals.Goal;
import dev.cairn.goals.GoalFilter;
import dev.cairn.goals.GoalPhase;
import dev.cairn.goals.GoalSpec;
import dev.cairn.goals.GoalStatus;
import dev.cairn.goals.GoalStore;
import dev.cairn.goals.GoalSummary;
import dev.cairn.goals.Money;
import dev.cairn.goals.Proof;
import dev.cairn.goals.ProofSpec;
import dev.cairn.goals.SliceLease;
import dev.cairn.goals.Task;
import dev.cairn.goals.TaskClaim;
import dev.cairn.goals.TaskSpec;
import dev.cairn.runs.AuditEntry;
import dev.cairn.runs.AuditLevel;
import dev.cairn.runs.AuditQuery;
import dev.cairn.runs.Run;
import dev.cairn.runs.Step;
import dev.cairn.server.internal.Route.Kind;
import dev.cairn.server.internal.Route.Param;
import dev.cairn.server.internal.Wire.Appended;
import dev.cairn.server.internal.Wire.AppendIn;
import dev.cairn.server.internal.Wire.ArtifactIn;
import dev.cairn.server.internal.Wire.Artifacts;
import dev.cairn.server.internal.Wire.AuditEntries;
import dev.cairn.server.internal.Wire.AuditIn;
import dev.cairn.server.internal.Wire.CheckpointIn;
import dev.cairn.server.internal.Wire.Checkpoints;
import dev.cairn.server.internal.Wire.ClaimIn;
import dev.cairn.server.internal.Wire.ControllerIn;
import dev.cairn.server.internal.Wire.ControllerResult;
import dev.cairn.server.internal.Wire.ControllerTokenIn;
import dev.cairn.server.internal.Wire.DecisionIn;
import dev.cairn.server.internal.Wire.Decisions;
import dev.cairn.server.internal.Wire.EventIn;
import dev.cairn.server.internal.Wire.EventOut;
import dev.cairn.server.internal.Wire.EventPage;
import dev.cairn.server.internal.Wire.GoalIn;
import dev.cairn.server.internal.Wire.GoalPhaseIn;
import dev.cairn.server.internal.Wire.GoalStatusIn;
import dev.cairn.server.internal.Wire.Goals;
import dev.cairn.server.internal.Wire.Head;
import dev.cairn.server.internal.Wire.Health;
import dev.cairn.server.internal.Wire.LeaseIn;
import dev.cairn.server.internal.Wire.LeaseResult;
import dev.cairn.server.internal.Wire.Leases;
import dev.cairn.server.internal.Wire.PlanIn;
import dev.cairn.server.internal.Wire.ProofIn;
import dev.cairn.server.internal.Wire.Released;
import dev.cairn.server.internal.Wire.RunIn;
import dev.cairn.server.internal.Wire.Runs;
import dev.cairn.server.internal.Wire.StepIn;
import dev.cairn.server.internal.Wire.Steps;
import dev.cairn.server.internal.Wire.StreamEvents;
import dev.cairn.server.internal.Wire.TaskEndIn;
import dev.cairn.server.internal.Wire.TaskHeartbeatIn;
import dev.cairn.server.internal.Wire.TaskIn;
import dev.cairn.server.internal.Wire.TaskReleaseIn;
import dev.cairn.server.internal.Wire.Tasks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The routes of the API, each a few lines over the public library API: every rule (versions, claims, transitions,
 * idempotence) is the library's, the API only translates JSON to calls and results back.
 */
public final class Api {
    private static final List<Param> NONE = List.of();

    private final Cairn db;
    private final RunSessions runs;
    private final Metrics metrics;
    private final List<Route> routes = new ArrayList<>();

    public Api(Cairn db, Metrics metrics) {
        this.db = db;
        this.metrics = metrics;
        this.runs = new RunSessions(db);
        service();
        events();
        goals();
        tasks();
        goalRecords();
        runsAndAudit();
    }

    public List<Route> routes() {
        return routes;
    }

    private void route(String method, String path, String operationId, String summary, Class<?> request,
            Class<?> response, int status, List<Param> query, Route.Handler handler) {
        routes.add(new Route(method, path, operationId, summary, request, response, status, query, Kind.JSON,
                handler));
    }

    private void service() {
        route("GET", "/health", "health", "Whether the server runs and its store answers.", null, Health.class, 200,
                NONE, call -> new Health("ok", Cairn.version(), db.events().lastPosition().toString()));
        routes.add(new Route("GET", "/metrics", "metrics", "The server's figures in the Prometheus text format.",
                null, String.class, 200, NONE, Kind.TEXT, call -> metrics.text()));
    }

    // ---- events

    private void events() {
        route("POST", "/v1/streams/{streamId}/events", "appendEvents", "Appends events to one stream, all or "
                + "nothing, if the stream is at the expected version; idempotent under a command id.", AppendIn.class,
                Appended.class, 200, NONE, call -> append(call.path("streamId"), call.body(AppendIn.class)));
        route("GET", "/v1/streams/{streamId}/events", "readStream", "One stream's events from a version on.", null,
                StreamEvents.class, 200, List.of(new Param("fromVersion", "integer", "first version to read "
                        + "(default 0)"), new Param("limit", "integer", "at most this many (default 1000)")),
                call -> {
                    String stream = call.path("streamId");
                    long limit = limit(call, 1000, 10_000);
                    List<EventOut> events = db.events().readStream(stream, call.longQuery("fromVersion", 0))
                            .limit(limit).map(EventOut::of).toList();
                    return new StreamEvents(stream, db.events().streamVersion(stream), events);
                });
        route("GET", "/v1/events", "readEvents", "Events of the whole log after a position, in the log's order, "
                + "optionally of one stream and some types.", null, EventPage.class, 200, List.of(
                        new Param("after", "string", "a position (SEQUENCE or TRANSACTION:SEQUENCE); default: "
                                + "the start of the log"),
                        new Param("stream", "string", "only this stream"),
                        new Param("type", "string", "only these types, comma-separated"),
                        new Param("limit", "integer", "at most this many (default 1000, at most 10000)")),
                call -> {
                    LogPosition after = position(call.query("after"), LogPosition.START);
                    EventQuery query = EventQuery.all().after(after).limit(limit(call, 1000, 10_000));
                    if (call.query("stream") != null) {
                        query = query.stream(call.query("stream"));
                    }
                    if (call.query("type") != null) {
                        query = query.types(call.query("type").split(","));
                    }
                    List<EventOut> events = db.events().read(query).map(EventOut::of).toList();
                    return new EventPage(events, events.isEmpty() ? after.toString()
                            : events.get(events.size() - 1).position());
                });
        route("GET", "/v1/events/head", "eventsHead", "The position of the last event readers can see now.", null,
                Head.class, 200, NONE, call -> new Head(db.events().lastPosition().toString()));
        routes.add(new Route("GET", "/v1/events/stream", "tailEvents", "A live tail of the log as Server-Sent "
                + "Events: every event after the position, once each, in the log's order; each event's id is its "
                + "position, so a client that reconnects with Last-Event-ID misses nothing and sees nothing twice.",
                null, EventOut.class, 200, List.of(new Param("after", "string", "a position (SEQUENCE or "
                        + "TRANSACTION:SEQUENCE); the Last-Event-ID header wins over it; default: the head of the "
                        + "log, so only later events")), Kind.STREAM, call -> null));
    }

    /**
     * Queues the append and answers once it is committed: the request's thread goes back to the pool at once instead
     * of waiting for group commit, and the thread that commits the batch writes the answers.
     */
    private CompletableFuture<Appended> append(String streamId, AppendIn in) {
        ExpectedVersion expected = in.expectedVersion() == null ? ExpectedVersion.any()
                : in.expectedVersion() == -1 ? ExpectedVersion.noStream() : ExpectedVersion.exact(in.expectedVersion());
        List<EventData> events = new ArrayList<>();
        for (EventIn event : in.events()) {
            EventMetadata metadata = EventMetadata.EMPTY;
            if (event.metadata() != null) {
                metadata = new EventMetadata(event.metadata().actorKind(), null, event.metadata().causationId(),
                        event.metadata().correlationId(), event.metadata().extra());
            }
            if (in.commandId() != null) {
                metadata = metadata.withCommandId(in.commandId());
            }
            UUID id = null;
            if (event.eventId() != null) {
                try {
                    id = UUID.fromString(event.eventId());
                } catch (IllegalArgumentException e) {
                    throw new InvalidInputException("event id '" + event.eventId() + "' is not a UUID");
                }
            }
            events.add(new EventData(id, event.type(), event.schemaVersion() == null ? 1 : event.schemaVersion(),
                    Json.text(event.payload()), metadata, event.occurredAt()));
        }
        return db.events().appendAsync(streamId, expected, events).thenApply(stored -> {
            metrics.appended(stored.size());
            List<EventOut> out = stored.stream().map(EventOut::of).toList();
            return new Appended(streamId, out.get(out.size() - 1).streamVersion(), out);
        });
    }

    /** A position from a query parameter or header; malformed is a {@link BadRequest}, absent {@code otherwise}. */
    public static LogPosition position(String text, LogPosition otherwise) {
        if (text == null || text.isEmpty()) {
            return otherwise;
        }
        try {
            return LogPosition.parse(text);
        } catch (InvalidInputException e) {
            throw new BadRequest(e.getMessage());
        }
    }

    private static long limit(Call call, long otherwise, long max) {
        long limit = call.longQuery("limit", otherwise);
        if (limit < 1 || limit > max) {
            throw new BadRequest("query parameter limit must be 1 to " + max + ", was " + limit);
        }
        return limit;
    }

    // ---- goals

    private void goals() {
        route("POST", "/v1/goals", "createGoal", "Creates a goal in status not_ready.", GoalIn.class, Goal.class, 201,
                NONE, call -> {
                    GoalIn in = call.body(GoalIn.class);
                    GoalSpec spec = GoalSpec.of(in.id(), in.text(), in.projectDir())
                            .withNormalizedText(in.normalizedText()).withKind(in.kind()).withPhase(in.phase());
                    if (in.budget() != null) {
                        spec = spec.withBudget(new Budget(in.budget().timeSeconds(), in.budget().tokens(),
                                in.budget().moneyCents() == null ? null : Money.ofCents(in.budget().moneyCents())));
                    }
                    if (in.terminalCriteria() != null) {
                        spec = spec.withTerminalCriteria(Json.text(in.terminalCriteria()));
                    }
                    if (in.maxAgents() != null) {
                        spec = spec.withExecution(false, false, in.maxAgents());
                    }
                    return db.goals().create(spec);
                });
        route("GET", "/v1/goals", "listGoals", "Goals newest first, filtered, a page at a time.", null, Goals.class,
                200, List.of(new Param("status", "string", "only goals in this status"),
                        new Param("phase", "string", "only goals in this phase"),
                        new Param("kind", "string", "only goals of this kind"),
                        new Param("text", "string", "only goals whose text contains this, ignoring case"),
                        new Param("limit", "integer", "at most this many (default 100, at most 1000)"),
                        new Param("cursor", "string", "the next cursor of the previous page")),
                call -> {
                    GoalFilter filter = GoalFilter.all().limit((int) limit(call, 100, GoalFilter.MAX_LIMIT))
                            .withKind(call.query("kind")).containing(call.query("text")).after(call.query("cursor"));
                    if (call.query("status") != null) {
                        filter = filter.withStatus(GoalStatus.fromStored(call.query("status")));
                    }
                    if (call.query("phase") != null) {
                        filter = filter.withPhase(GoalPhase.fromStored(call.query("phase")));
                    }
                    List<GoalSummary> goals = db.goals().list(filter);
                    String next = goals.size() < filter.limit() ? null : goals.get(goals.size() - 1).cursor();
                    return new Goals(goals, next);
                });
        route("GET", "/v1/goals/{goalId}", "getGoal", "One goal.", null, Goal.class, 200, NONE,
                call -> db.goals().get(call.path("goalId")));
        route("POST", "/v1/goals/{goalId}/status", "moveGoal", "Moves the goal to a status (and phase) if it is "
                + "still at the expected version; 409 with the current version if not. With a controller claim, "
                + "only while that claim controls the goal: 409 stale_claim once another owner took it over.",
                GoalStatusIn.class, Goal.class, 200, NONE, call -> {
                    GoalStatusIn in = call.body(GoalStatusIn.class);
                    String goalId = call.path("goalId");
                    try {
                        return goals(goalId, in.controller()).updateStatus(goalId, in.expectedVersion(), in.status(),
                                in.phase());
                    } catch (ConflictException e) {
                        if (e.getClass() != ConflictException.class) {
                            throw e; // an illegal transition, not a version that moved on
                        }
                        throw new VersionConflict(e.getMessage(), db.goals().get(goalId).version());
                    }
                });
        route("POST", "/v1/goals/{goalId}/phase", "moveGoalPhase", "Moves a non-terminal goal to another phase; "
                + "with a controller claim, only while that claim controls the goal (409 stale_claim once another "
                + "owner took it over).", GoalPhaseIn.class, Goal.class, 200, NONE, call -> {
                    GoalPhaseIn in = call.body(GoalPhaseIn.class);
                    String goalId = call.path("goalId");
                    return goals(goalId, in.controller()).updatePhase(goalId, in.phase());
                });
        route("POST", "/v1/goals/{goalId}/controller", "claimController", "Makes the owner the goal's controller "
                + "unless another owner holds it alive; the claim's token fences its heartbeats.", ControllerIn.class,
                ControllerResult.class, 200, NONE, call -> {
                    ControllerIn in = call.body(ControllerIn.class);
                    String goalId = call.path("goalId");
                    Duration stale = Duration.ofMillis(in.staleAfterMs() == null
                            ? GoalStore.DEFAULT_STALE_AFTER.toMillis() : in.staleAfterMs());
                    return db.goals().claimController(goalId, in.owner(), stale)
                            .map(claim -> new ControllerResult(claim, null))
                            .orElseGet(() -> new ControllerResult(null, db.goals().get(goalId).controller()));
                });
        route("POST", "/v1/goals/{goalId}/controller/heartbeat", "heartbeatController", "Records that the "
                + "controller is alive; 409 stale_claim once another owner took the goal over.",
                ControllerTokenIn.class, ControllerClaim.class, 200, NONE, call -> {
                    ControllerTokenIn in = call.body(ControllerTokenIn.class);
                    return db.goals().heartbeat(new ControllerClaim(call.path("goalId"), in.owner(), in.token(),
                            null));
                });
        route("POST", "/v1/goals/{goalId}/controller/release", "releaseController", "Gives up control if the claim "
                + "is still current.", ControllerTokenIn.class, Released.class, 200, NONE, call -> {
                    ControllerTokenIn in = call.body(ControllerTokenIn.class);
                    return new Released(db.goals().releaseController(new ControllerClaim(call.path("goalId"),
                            in.owner(), in.token(), null)));
                });
    }

    /**
     * The goal store for a change of goal {@code goalId}: fenced by the controller claim the client sent (rebuilt
     * from its owner and token, as good as the one handed out and no better), or the store itself when it sent none.
     */
    private GoalStore goals(String goalId, ControllerTokenIn controller) {
        return controller == null ? db.goals() : db.goals().fencedBy(new ControllerClaim(goalId, controller.owner(),
                controller.token(), null));
    }

    // ---- tasks

    private void tasks() {
        route("POST", "/v1/goals/{goalId}/tasks", "planTasks", "Adds tasks to the goal's graph, or replaces the "
                + "graph, atomically; a cycle, a duplicate or an unknown dependency refuses the whole batch.",
                PlanIn.class, Tasks.class, 200, NONE, call -> {
                    String goalId = call.path("goalId");
                    PlanIn in = call.body(PlanIn.class);
                    List<TaskSpec> specs = in.tasks().stream().map(task -> spec(goalId, task)).toList();
                    return new Tasks(Boolean.TRUE.equals(in.replace()) ? db.goals().tasks().replaceTaskGraph(goalId,
                            specs) : db.goals().tasks().createBatch(goalId, specs));
                });
        route("GET", "/v1/goals/{goalId}/tasks", "listTasks", "The goal's tasks, dependencies first.", null,
                Tasks.class, 200, NONE, call -> new Tasks(db.goals().tasks().byGoal(call.path("goalId"))));
        route("GET", "/v1/goals/{goalId}/tasks/ready", "readyTasks", "Pending or ready tasks whose dependencies "
                + "are done.", null, Tasks.class, 200, NONE,
                call -> new Tasks(db.goals().tasks().readyTasks(call.path("goalId"))));
        route("POST", "/v1/goals/{goalId}/tasks/claim", "claimTask", "Claims the first ready task (or the named "
                + "one) under a lease, atomically: of many concurrent claims one wins; the others get null.",
                ClaimIn.class, Wire.ClaimResult.class, 200, NONE, call -> {
                    ClaimIn in = call.body(ClaimIn.class);
                    String goalId = call.path("goalId");
                    Duration lease = lease(in.leaseMs());
                    return new Wire.ClaimResult((in.taskId() == null ? db.goals().tasks().claimTask(goalId, in.owner(),
                            lease) : db.goals().tasks().claimTask(goalId, in.taskId(), in.owner(), lease))
                            .orElse(null));
                });
        route("POST", "/v1/goals/{goalId}/tasks/{taskId}/heartbeat", "heartbeatTask", "Extends the claim's lease; "
                + "409 stale_claim once the task was requeued, reset or ended.", TaskHeartbeatIn.class,
                TaskClaim.class, 200, NONE, call -> {
                    TaskHeartbeatIn in = call.body(TaskHeartbeatIn.class);
                    return db.goals().tasks().heartbeat(claim(call, in.owner(), in.token()), lease(in.leaseMs()));
                });
        route("POST", "/v1/goals/{goalId}/tasks/{taskId}/complete", "completeTask", "Marks the claimed task done; "
                + "409 stale_claim when the claim is no longer current.", TaskEndIn.class, Task.class, 200, NONE,
                call -> {
                    TaskEndIn in = call.body(TaskEndIn.class);
                    return db.goals().tasks().complete(claim(call, in.owner(), in.token()), in.evidence());
                });
        route("POST", "/v1/goals/{goalId}/tasks/{taskId}/fail", "failTask", "Records a failed attempt of the "
                + "claimed task.", TaskEndIn.class, Task.class, 200, NONE, call -> {
                    TaskEndIn in = call.body(TaskEndIn.class);
                    return db.goals().tasks().fail(claim(call, in.owner(), in.token()), in.evidence());
                });
        route("POST", "/v1/goals/{goalId}/tasks/{taskId}/release", "releaseTask", "Gives the claimed task back "
                + "without counting a retry.", TaskReleaseIn.class, Task.class, 200, NONE, call -> {
                    TaskReleaseIn in = call.body(TaskReleaseIn.class);
                    return db.goals().tasks().release(claim(call, in.owner(), in.token()));
                });
    }

    private static TaskSpec spec(String goalId, TaskIn in) {
        return new TaskSpec(goalId, in.id(), in.title(), in.description(), in.kind(), in.readSet(), in.writeSet(),
                in.dependsOn(), in.acceptance(), in.risk(), in.maxRetries() == null ? TaskSpec.DEFAULT_MAX_RETRIES
                        : in.maxRetries());
    }

    private static Duration lease(long millis) {
        if (millis < 1) {
            throw new InvalidInputException("a lease is 1 ms or more, was " + millis + " ms");
        }
        return Duration.ofMillis(millis);
    }

    /**
     * The claim a client holds, rebuilt from its owner and token: the library checks the token against the task's
     * current one, so a rebuilt claim is exactly as good as the one handed out, and no better.
     */
    private TaskClaim claim(Call call, String owner, String token) {
        Task t = db.goals().tasks().get(call.path("goalId"), call.path("taskId"));
        Task asClaimed = new Task(t.goalId(), t.id(), t.position(), t.title(), t.description(), t.kind(), t.status(),
                owner, t.readSet(), t.writeSet(), t.dependsOn(), t.acceptance(), t.evidence(), t.risk(),
                t.retryCount(), t.maxRetries(), t.leaseExpiresAt(), t.heartbeatAt(), t.completedAt(), t.createdAt(),
                t.updatedAt());
        return new TaskClaim(asClaimed, token);
    }

    // ---- leases, proofs, budgets, artifacts, decisions

    private void goalRecords() {
        route("POST", "/v1/goals/{goalId}/leases", "claimSlice", "Claims a slice of the goal for an owner, "
                + "reserving the paths it writes; the outcome says why not.", LeaseIn.class, LeaseResult.class, 200,
                NONE, call -> {
                    LeaseIn in = call.body(LeaseIn.class);
                    ClaimResult result = db.goals().leases().tryClaim(call.path("goalId"), in.sliceId(), in.owner(),
                            in.ownerRole(), in.writeSet());
                    if (result instanceof ClaimResult.Claimed claimed) {
                        return new LeaseResult("claimed", claimed.lease(), List.of());
                    } else if (result instanceof ClaimResult.SliceHeld held) {
                        return new LeaseResult("slice_held", held.holder(), List.of());
                    }
                    ClaimResult.WriteSetOverlap overlap = (ClaimResult.WriteSetOverlap) result;
                    return new LeaseResult("write_set_overlap", overlap.conflicting(), overlap.paths());
                });
        route("GET", "/v1/goals/{goalId}/leases", "activeLeases", "The goal's active slice leases.", null,
                Leases.class, 200, NONE, call -> new Leases(db.goals().leases().active(call.path("goalId"))));
        route("POST", "/v1/leases/{leaseId}/heartbeat", "heartbeatLease", "Records that the lease's owner is alive; "
                + "409 stale_claim once it was released or expired.", null, SliceLease.class, 200, NONE,
                call -> db.goals().leases().heartbeat(lease(call)));
        route("POST", "/v1/leases/{leaseId}/release", "releaseLease", "Releases the lease.", null, Released.class,
                200, NONE, call -> new Released(db.goals().leases().release(lease(call))));

        route("PUT", "/v1/goals/{goalId}/proof", "putProof", "Writes the goal's proof, replacing the one before.",
                ProofIn.class, Proof.class, 200, NONE, call -> {
                    ProofIn in = call.body(ProofIn.class);
                    return db.goals().proofs().upsert(call.path("goalId"), new ProofSpec(in.status(), in.readiness(),
                            in.summary(), in.gates(), in.changedFiles(), in.commits(),
                            Boolean.TRUE.equals(in.postMutationGatesRan()), in.knownGaps(),
                            in.humanDecisionsRequired(), in.details() == null ? null : Json.text(in.details())));
                });
        route("GET", "/v1/goals/{goalId}/proof", "getProof", "The goal's current proof.", null, Proof.class, 200,
                NONE, call -> {
                    String goalId = call.path("goalId");
                    return db.goals().proofs().get(goalId).orElseThrow(() -> new dev.cairn.NotFoundException(
                            "goal " + goalId + " has no proof yet; write one with PUT /v1/goals/" + goalId
                                    + "/proof"));
                });
        route("POST", "/v1/goals/{goalId}/budget-checkpoints", "checkpointBudget", "Records what the goal has used "
                + "so far against its budget.", CheckpointIn.class, dev.cairn.goals.BudgetCheckpoint.class, 200, NONE,
                call -> {
                    CheckpointIn in = call.body(CheckpointIn.class);
                    return db.goals().budgets().append(call.path("goalId"), new BudgetUse(in.label(),
                            in.elapsedSeconds(), in.tokensUsed(), in.spentCents() == null ? null
                                    : Money.ofCents(in.spentCents())), Boolean.TRUE.equals(in.moveGoalWhenExhausted()));
                });
        route("GET", "/v1/goals/{goalId}/budget-checkpoints", "listCheckpoints", "The goal's budget checkpoints, "
                + "oldest first.", null, Checkpoints.class, 200, NONE,
                call -> new Checkpoints(db.goals().budgets().byGoal(call.path("goalId"))));
        route("POST", "/v1/goals/{goalId}/artifacts", "registerArtifact", "Registers a file the goal produced, by "
                + "its path inside the goal's project directory.", ArtifactIn.class, dev.cairn.goals.Artifact.class,
                200, NONE, call -> {
                    ArtifactIn in = call.body(ArtifactIn.class);
                    return db.goals().artifacts().register(call.path("goalId"), in.kind(), in.path(), in.mimeType(),
                            in.sizeBytes(), in.sha256());
                });
        route("GET", "/v1/goals/{goalId}/artifacts", "listArtifacts", "The goal's artifacts.", null, Artifacts.class,
                200, NONE, call -> new Artifacts(db.goals().artifacts().byGoal(call.path("goalId"))));
        route("POST", "/v1/goals/{goalId}/decisions", "recordDecision", "Records a decision taken on the goal.",
                DecisionIn.class, dev.cairn.goals.Decision.class, 200, NONE, call -> {
                    DecisionIn in = call.body(DecisionIn.class);
                    return db.goals().decisions().append(call.path("goalId"), new DecisionSpec(in.actor(), in.phase(),
                            in.kind(), in.decision(), in.rationale(), in.constraints(), in.artifacts()));
                });
        route("GET", "/v1/goals/{goalId}/decisions", "listDecisions", "The goal's decisions in the order taken.",
                null, Decisions.class, 200, NONE,
                call -> new Decisions(db.goals().decisions().byGoal(call.path("goalId"))));
    }

    private SliceLease lease(Call call) {
        long id;
        try {
            id = Long.parseLong(call.path("leaseId"));
        } catch (NumberFormatException e) {
            throw new BadRequest("a lease id is an integer, was '" + call.path("leaseId") + "'");
        }
        return db.goals().leases().get(id).orElseThrow(() -> new dev.cairn.NotFoundException("slice lease " + id
                + " does not exist"));
    }

    // ---- runs and audit

    private void runsAndAudit() {
        route("POST", "/v1/runs", "beginRun", "Begins a run; record its steps, then finish it.", RunIn.class,
                Run.class, 201, NONE, call -> runs.begin(call.body(RunIn.class)));
        route("GET", "/v1/runs", "recentRuns", "The newest runs first.", null, Runs.class, 200,
                List.of(new Param("limit", "integer", "at most this many (default 20, at most 1000)")),
                call -> new Runs(db.runs().recent((int) limit(call, 20, 1000))));
        route("GET", "/v1/runs/{runId}", "getRun", "One run.", null, Run.class, 200, NONE,
                call -> db.runs().get(call.path("runId")));
        route("POST", "/v1/runs/{runId}/steps", "recordStep", "Records one step of the run with its outcome and "
                + "stats (secrets redacted).", StepIn.class, Step.class, 200, NONE,
                call -> runs.step(call.path("runId"), call.body(StepIn.class)));
        route("GET", "/v1/runs/{runId}/steps", "listSteps", "The run's steps in the order they began.", null,
                Steps.class, 200, NONE, call -> new Steps(db.runs().steps(call.path("runId"))));
        route("POST", "/v1/runs/{runId}/finish", "finishRun", "Finishes the run; steps still running are recorded "
                + "failed.", null, Run.class, 200, NONE, call -> runs.finish(call.path("runId")));
        route("POST", "/v1/audit", "writeAudit", "Writes an audit entry (secrets redacted).", AuditIn.class,
                AuditEntry.class, 200, NONE, call -> {
                    AuditIn in = call.body(AuditIn.class);
                    Object data = in.data();
                    return db.runs().audit(in.runId(), in.level(), in.scope(), in.event(), in.message(), data);
                });
        route("GET", "/v1/audit", "readAudit", "The newest matching audit entries, oldest first.", null,
                AuditEntries.class, 200, List.of(new Param("runId", "string", "only entries of this run"),
                        new Param("level", "string", "only this level and above"),
                        new Param("event", "string", "an event name, or a prefix followed by *"),
                        new Param("limit", "integer", "at most this many (default 100, at most 10000)")),
                call -> {
                    AuditQuery query = AuditQuery.all().limit((int) limit(call, 100, 10_000));
                    if (call.query("runId") != null) {
                        query = query.forRun(call.query("runId"));
                    }
                    if (call.query("level") != null) {
                        query = query.atLeast(AuditLevel.of(call.query("level")));
                    }
                    if (call.query("event") != null) {
                        query = query.event(call.query("event"));
                    }
                    return new AuditEntries(db.runs().auditLog(query));
                });
    }
}
