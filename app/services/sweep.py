"""The minute's sweep of every clock: the requests' escalations and warnings (by due hour,
services.deadlines) and the clocks the fixed workflows declare (services.engine: e-FIRs not
confirmed in three days, preliminary enquiries past their 14 days, appeals past their decision
date, senior citizens' visits past their due date).

Each step claims its own work (see services.deadlines), so two beat processes sweeping at once,
or a sweep task run twice after a crash, do every step once.
"""

from datetime import UTC, datetime

from . import appeals, deadlines, engine, firs, metrics, registers, seniors

# Imported for their machines: each registers itself with the engine when loaded.
MACHINES = (appeals, firs, registers, seniors)


def run(now=None):
    now = now or datetime.now(UTC)
    done = {"escalated": 0, "warned": 0}
    with metrics.SWEEP_SECONDS.time():
        for request in deadlines.due_for("escalate", now):
            done["escalated"] += deadlines.escalate(request, now)
        for request in deadlines.due_for("warn", now):
            done["warned"] += deadlines.warn(request, now)
        done.update(engine.sweep(now))
    metrics.ESCALATIONS.inc(done["escalated"])
    metrics.WARNINGS.inc(done["warned"])
    return done
