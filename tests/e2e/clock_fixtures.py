"""The daemon's test clock (setting `testing.clock_offset_file`, tests only):
a file holding a number of seconds the daemon adds to the system clock,
re-read whenever it changes. Rules that depend on "now" — no booking in the
past, attendance only once a session has started, the calendar feed's
window — are tested through the real daemon by booking ahead and then
letting time pass:

    clock = DaemonClock(daemon)          # before daemon.start()
    daemon.start()
    ... book sessions in the coming days ...
    with clock.travel(days=10):          # the daemon lives ten days later
        ... mark them attended ...
    # back to the real time: documents are issued today, as the other
    # fixtures (program_today) expect

Sign-in tokens last security.session_hours (set here to its maximum, 720 h),
so a journey of up to 30 days keeps the fixtures' tokens valid; feed tokens
never expire. Standard library only."""

import contextlib
import datetime
import os
import zoneinfo

TORONTO = zoneinfo.ZoneInfo("America/Toronto")   # the program's (and the practitioners') zone


class DaemonClock:
    def __init__(self, daemon, folder=None):
        """Adds the settings to `daemon` (a harness.Daemon not started yet).
        `folder`: where the offset file lives (default: the daemon's folder;
        give one folder to several daemons to move them together)."""
        self.path = os.path.join(folder or daemon.dir, "clock-offset")
        self.offset = datetime.timedelta(0)
        self.attach(daemon)

    def attach(self, daemon):
        """Another daemon (not started yet) on the same clock."""
        daemon.args += ["--set", f"testing.clock_offset_file={self.path}", "--set", "security.session_hours=720"]

    def set_offset(self, offset):
        """The daemon's now becomes real time + offset (a timedelta), at once."""
        temporary = self.path + ".new"
        with open(temporary, "w") as f:
            f.write(f"{int(offset.total_seconds())}\n")
        os.replace(temporary, self.path)   # atomic: the daemon never reads half a number
        self.offset = offset

    @contextlib.contextmanager
    def travel(self, **delta):
        """Moves the daemon's clock forward by timedelta(**delta) for the
        `with` block, then back to where it was."""
        before = self.offset
        self.set_offset(before + datetime.timedelta(**delta))
        try:
            yield
        finally:
            self.set_offset(before)


def program_today():
    return datetime.datetime.now(TORONTO).date()


def next_weekday(start, weekday):
    """The first date on or after `start` that falls on `weekday` (0 = Monday)."""
    return start + datetime.timedelta(days=(weekday - start.weekday()) % 7)


def local(day, hour, minute=0):
    """An aware datetime at local time on `day` in the program's zone, as RFC 3339."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), TORONTO).isoformat()


# -- a program that took place ------------------------------------------------------
# `till` is a scheduling_fixtures.Clinic (or billing_fixtures.Till): requests as the coordinator.

def plan_from_tomorrow(till, practitioner_id, participant_id, weeks=1):
    """A therapy plan starting tomorrow (program zone) → its sessions."""
    status, _, body = till.call("POST", f"/api/v1/participants/{participant_id}/plans",
                                {"practitioner_id": practitioner_id, "weeks": weeks,
                                 "start_on": (program_today() + datetime.timedelta(days=1)).isoformat()})
    if status != 201:
        raise AssertionError(f"plan: {status} {body!r}"[:2000])
    return body["sessions"]


def awareness_day_seat(till, participant_id):
    """An awareness day on the first Saturday after today (no therapy
    session falls on a Saturday), with the participant seated → (day JSON, date)."""
    day_on = next_weekday(program_today() + datetime.timedelta(days=1), 5)
    status, _, day = till.call("POST", "/api/v1/group-sessions",
                               {"start": local(day_on, 9), "minutes": 360, "capacity": 50, "location": "Salle 2",
                                "speakers": ["Intervenante A"]})
    if status != 201:
        raise AssertionError(f"awareness day: {status} {day!r}"[:2000])
    status, _, seat = till.call("POST", f"/api/v1/group-sessions/{day['id']}/seats", {"participant_id": participant_id})
    if status != 201:
        raise AssertionError(f"seat: {status} {seat!r}"[:2000])
    return day, day_on


# Long enough for a one-week plan from tomorrow and the Saturday after it.
TEN_DAYS = {"days": 10}


def attend(till, clock, participant_id, sessions, day=None):
    """Ten days later, every session (and the awareness day) attended; then back to today."""
    with clock.travel(**TEN_DAYS):
        for session in sessions:
            status, _, body = till.call("POST", f"/api/v1/sessions/{session['id']}/attendance", {"status": "attended"})
            if status != 200:
                raise AssertionError(f"attendance: {status} {body!r}"[:2000])
        if day is not None:
            status, _, body = till.call("POST", f"/api/v1/group-sessions/{day['id']}/attendance",
                                        {"participant_id": participant_id, "status": "attended"})
            if status != 200:
                raise AssertionError(f"awareness day attendance: {status} {body!r}"[:2000])


def open_day(clinic, first):
    """The first date on or after `first` that is no holiday or program closure
    (GET /closures), so that a test booking days ahead never lands on one."""
    closed = set()
    for year in (first.year, first.year + 1):
        status, _, body = clinic.call("GET", f"/api/v1/closures?year={year}")
        if status != 200:
            raise AssertionError(f"closures: {status} {body!r}")
        closed |= {item["date"] for item in body["items"]}
    day = first
    while day.isoformat() in closed:
        day += datetime.timedelta(days=1)
    return day
