#!/usr/bin/env python3
"""A whole agent session against `cairn serve`, with the standard library only (urllib, json).

    session.py drive BASE_URL WORK_DIR      the session; exits 0 when every check held
    session.py worker BASE_URL GOAL NAME OUT    claims and completes tasks until none is left
    session.py follow BASE_URL AFTER OUT WORK_DIR   follows the live tail, reconnecting once on purpose

The driver creates a goal with a 5-task graph, starts two worker processes that claim and complete the tasks under
leases, records a budget checkpoint and a proof, and meanwhile a follower process reads the Server-Sent Events tail.
The follower drops its connection after a few events; the driver commits more events while it is away; the follower
reconnects with Last-Event-ID. At the end the follower must have seen every event of the log since it started, each
exactly once, in the log's order.
"""
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

TOKEN = os.environ.get("CAIRN_TOKEN")


def call(base, method, path, body=None, expect=(200, 201)):
    data = None if body is None else json.dumps(body).encode("utf-8")
    headers = {"Content-Type": "application/json"}
    if TOKEN:
        headers["Authorization"] = "Bearer " + TOKEN
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, text = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read()
    answer = json.loads(text) if text else None
    if expect and status not in expect:
        raise AssertionError("%s %s answered %s: %s" % (method, path, status, answer))
    return status, answer


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def wait_for(path, seconds):
    deadline = time.time() + seconds
    while not os.path.exists(path):
        if time.time() > deadline:
            raise AssertionError("waited %ss for %s" % (seconds, path))
        time.sleep(0.02)


def worker(base, goal, name, out):
    done = []
    deadline = time.time() + 60
    while time.time() < deadline:
        _, answer = call(base, "POST", "/v1/goals/%s/tasks/claim" % goal, {"owner": name, "leaseMs": 30000})
        claim = answer["claim"]
        if claim is None:
            _, tasks = call(base, "GET", "/v1/goals/%s/tasks" % goal)
            if all(task["status"] == "done" for task in tasks["tasks"]):
                break
            time.sleep(0.02)
            continue
        task, token = claim["task"]["id"], claim["token"]
        check(claim["task"]["owner"] == name, "claimed for someone else: %s" % claim)
        call(base, "POST", "/v1/goals/%s/tasks/%s/heartbeat" % (goal, task),
             {"owner": name, "token": token, "leaseMs": 30000})
        time.sleep(0.02)  # the work
        # A forged token is refused and changes nothing; the real one completes the task.
        status, refused = call(base, "POST", "/v1/goals/%s/tasks/%s/complete" % (goal, task),
                               {"owner": name, "token": token + "-forged"}, expect=None)
        check(status == 409 and refused["error"] == "stale_claim", "a forged token answered %s" % status)
        _, finished = call(base, "POST", "/v1/goals/%s/tasks/%s/complete" % (goal, task),
                           {"owner": name, "token": token, "evidence": ["done by " + name]})
        check(finished["status"] == "done", "complete answered %s" % finished)
        done.append(task)
    else:
        raise AssertionError("worker %s ran out of time" % name)
    with open(out, "w") as f:
        json.dump(done, f)


def follow(base, after, out, work_dir):
    seen = []
    last = after
    dropped = False
    deadline = time.time() + 90
    with open(out, "w") as f:
        while time.time() < deadline:
            headers = {"Accept": "text/event-stream"}
            if TOKEN:
                headers["Authorization"] = "Bearer " + TOKEN
            path = "/v1/events/stream?after=" + after
            if dropped:
                headers["Last-Event-ID"] = last  # wins over ?after=: resume right after the last event seen
            request = urllib.request.Request(base + path, headers=headers)
            with urllib.request.urlopen(request, timeout=30) as response:
                check(response.headers["Content-Type"].startswith("text/event-stream"), "not an event stream")
                event_id, data = None, None
                while True:
                    line = response.readline()
                    if not line:
                        raise AssertionError("the server ended the tail")
                    line = line.decode("utf-8").rstrip("\n")
                    if line.startswith(":"):
                        continue
                    if line.startswith("id: "):
                        event_id = line[4:]
                    elif line.startswith("data: "):
                        data = json.loads(line[6:])
                    elif line == "" and data is not None:
                        check(event_id == data["position"], "id %s is not the position %s" % (event_id, data))
                        seen.append(data["position"])
                        seen_type = data["type"]
                        f.write(json.dumps({"position": data["position"], "type": seen_type,
                                            "stream": data["streamId"]}) + "\n")
                        f.flush()
                        last = event_id
                        event_id, data = None, None
                        if len(seen) == 3 and not dropped:
                            break  # the forced disconnect
                        if seen_type == "session.finished":
                            return
            dropped = True
            open(os.path.join(work_dir, "disconnected"), "w").close()
            wait_for(os.path.join(work_dir, "resume"), 30)
    raise AssertionError("the follower ran out of time after %d events" % len(seen))


def drive(base, work_dir):
    _, head = call(base, "GET", "/v1/events/head")
    start = head["position"]
    follower = subprocess.Popen([sys.executable, __file__, "follow", base, start,
                                 os.path.join(work_dir, "followed.jsonl"), work_dir])
    goal = "py-goal"
    _, created = call(base, "POST", "/v1/goals", {"id": goal, "text": "Ship the parser", "projectDir": "/tmp/py",
                                                  "budget": {"tokens": 100000, "moneyCents": 500}})
    check(created["status"] == "not_ready", "a new goal is not_ready: %s" % created)
    for i in range(3):
        call(base, "POST", "/v1/streams/session:py/events",
             {"expectedVersion": i - 1, "events": [{"type": "session.note", "payload": {"n": i}}]})
    tasks = [{"id": "a"}, {"id": "b"}, {"id": "c"}, {"id": "d", "dependsOn": ["a", "b"]},
             {"id": "e", "dependsOn": ["c", "d"]}]
    _, planned = call(base, "POST", "/v1/goals/%s/tasks" % goal, {"tasks": tasks})
    check(len(planned["tasks"]) == 5, "planned %s" % planned)
    status, refused = call(base, "POST", "/v1/goals/%s/tasks" % goal, {"tasks": [{"id": "x", "dependsOn": ["x"]}]},
                           expect=None)
    check(status == 422 and refused["error"] == "invalid", "a cycle answered %s %s" % (status, refused))

    # The follower drops its connection; commit events while it is away.
    wait_for(os.path.join(work_dir, "disconnected"), 30)
    for i in range(3, 8):
        call(base, "POST", "/v1/streams/session:py/events",
             {"expectedVersion": i - 1, "commandId": "note-%d" % i,
              "events": [{"type": "session.note", "payload": {"n": i}}]})
    _, again = call(base, "POST", "/v1/streams/session:py/events",
                    {"expectedVersion": 6, "commandId": "note-7",
                     "events": [{"type": "session.note", "payload": {"n": 7}}]})
    check(again["streamVersion"] == 7, "a repeated command returns its first result: %s" % again)
    status, stale = call(base, "POST", "/v1/streams/session:py/events",
                         {"expectedVersion": 3, "events": [{"type": "session.note", "payload": {}}]}, expect=None)
    check(status == 409 and stale["currentVersion"] == 7, "a stale version answered %s %s" % (status, stale))
    _, current = call(base, "GET", "/v1/goals/" + goal)
    call(base, "POST", "/v1/goals/%s/status" % goal,
         {"expectedVersion": current["version"], "status": "running", "phase": "execution"})
    open(os.path.join(work_dir, "resume"), "w").close()

    workers = [subprocess.Popen([sys.executable, __file__, "worker", base, goal, "worker-%d" % n,
                                 os.path.join(work_dir, "worker-%d.json" % n)]) for n in (1, 2)]
    for process in workers:
        check(process.wait(90) == 0, "a worker failed")
    done = []
    for n in (1, 2):
        with open(os.path.join(work_dir, "worker-%d.json" % n)) as f:
            done += json.load(f)
    check(sorted(done) == ["a", "b", "c", "d", "e"], "each task completed exactly once: %s" % done)

    _, checkpoint = call(base, "POST", "/v1/goals/%s/budget-checkpoints" % goal,
                         {"label": "after-execution", "elapsedSeconds": 12, "tokensUsed": 4200, "spentCents": 31})
    check(checkpoint["tokensUsed"] == 4200, "checkpoint %s" % checkpoint)
    _, proof = call(base, "PUT", "/v1/goals/%s/proof" % goal,
                    {"status": "passed", "readiness": "ready", "summary": "parser shipped",
                     "gates": [{"name": "unit", "command": "pytest", "passed": True, "summary": "42 passed"}]})
    check(proof["version"] == 1, "proof %s" % proof)
    _, current = call(base, "GET", "/v1/goals/" + goal)
    _, ready = call(base, "POST", "/v1/goals/%s/status" % goal,
                    {"expectedVersion": current["version"], "status": "ready"})
    check(ready["status"] == "ready" and ready["completedAt"], "goal %s" % ready)
    call(base, "POST", "/v1/streams/session:py/events",
         {"events": [{"type": "session.finished", "payload": {"tasks": len(done)}}]})

    check(follower.wait(60) == 0, "the follower failed")
    with open(os.path.join(work_dir, "followed.jsonl")) as f:
        followed = [json.loads(line)["position"] for line in f.read().splitlines()]
    _, log = call(base, "GET", "/v1/events?after=%s&limit=10000" % start)
    expected = [event["position"] for event in log["events"]]
    check(len(expected) >= 20, "the session wrote only %d events" % len(expected))
    check(len(set(followed)) == len(followed), "the follower saw an event twice")
    check(followed == expected, "the follower saw %d events, the log has %d:\n%s\n%s"
          % (len(followed), len(expected), followed, expected))
    print(json.dumps({"events": len(expected), "tasks": done, "start": start}))


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "drive":
        drive(sys.argv[2], sys.argv[3])
    elif mode == "worker":
        worker(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])
    elif mode == "follow":
        follow(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])
    else:
        sys.exit("unknown mode " + mode)
