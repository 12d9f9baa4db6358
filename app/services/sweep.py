"""The minute's sweep of every clock: escalations, warnings, overdue appeals, missed visits,
e-FIRs not confirmed in three days and preliminary enquiries past their 14 days.

Each step claims its own work (see services.deadlines), so two beat processes sweeping at once,
or a sweep task run twice after a crash, do every step once.
"""

from datetime import UTC, datetime

from . import appeals, deadlines, firs, seniors


def run(now=None):
    now = now or datetime.now(UTC)
    done = {"escalated": 0, "warned": 0}
    for request in deadlines.due_for("escalate", now):
        done["escalated"] += deadlines.escalate(request, now)
    for request in deadlines.due_for("warn", now):
        done["warned"] += deadlines.warn(request, now)
    done["appeals_overdue"] = appeals.flag_overdue(now)
    done["senior_visits_missed"] = seniors.flag_missed_visits(now)
    done["efirs_lapsed"] = firs.lapse_unconfirmed(now)
    done["enquiries_overdue"] = firs.flag_overdue_enquiries(now)
    return done
