"""End-to-end tests of scheduling (issue 4; docs/domain.md "Scheduling"; docs/api.md
"Practitioners and calendars", "Therapy plans, sessions, awareness days") against the real
parcoursd over HTTP: daylight-saving changes, Québec holidays, the slot
grid, races of 64 clients on SQLite and on MariaDB (one and two daemons),
session states, the iCalendar feed and hostile input.

Standard library only (plus Debian's python3-icalendar when installed, for
the parser test); loopback only; every process is stopped by its own PID."""

import datetime
import os
import sqlite3
import unittest
import urllib.parse
import zoneinfo

from clock_fixtures import DaemonClock, open_day
from harness import Daemon, private_mariadb, assert_problem
from scheduling_fixtures import Clinic, expect, ics_instant, instant, key_file_args, overlapping_pairs, race, vevents

try:
    import icalendar
except ImportError:  # Debian package python3-icalendar
    icalendar = None

TORONTO = zoneinfo.ZoneInfo("America/Toronto")
UTC = datetime.timezone.utc
HOUR = datetime.timedelta(hours=1)
WEEK = datetime.timedelta(days=7)
WORKWEEK = [(day, "08:00", "18:00") for day in ("mon", "tue", "wed", "thu", "fri")]
RACERS = 64
ACTIVE = ("scheduled", "attended", "no_show", "excused")


def local_date(session):
    return instant(session["start"]).date()


def problem_of(testcase, answer, *statuses):
    """answer (status, headers, bytes) must be a problem+json with one of statuses → the problem."""
    status, headers, body = answer
    testcase.assertIn(status, statuses, body[:500])
    return assert_problem(testcase, status, headers, body, status)


class ClinicCase(unittest.TestCase):
    """One SQLite daemon and a signed-in coordinator per test class."""

    database_url = None

    @classmethod
    def setUpClass(cls):
        cls.daemon = Daemon(database=cls.database_url)
        cls.addClassCleanup(cls.daemon.close)
        cls.daemon.start()
        cls.clinic = Clinic(cls.daemon)

    def tearDown(self):
        # A crash shows in every later test; say so at the first one.
        self.assertTrue(self.daemon.alive(), f"parcoursd died:\n{self.daemon.log_text()[-3000:]}")

    def place_plan(self, participant_id, **body):
        return self.clinic.call("POST", f"/api/v1/participants/{participant_id}/plans", body)


class MariaDBClinicCase(ClinicCase):
    """The same, on a private MariaDB server of the class's own."""

    @classmethod
    def setUpClass(cls):
        cls.database_url = private_mariadb(cls)
        super().setUpClass()


# -- 1–3: calendars, plans, holidays, slots ----------------------------------------

class DaylightSavingTests(ClinicCase):
    """A weekly series keeps its local wall time across the 2027 changes; its
    UTC instants shift by one hour."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.practitioner = cls.clinic.practitioner([("tue", "09:00", "12:00")])

    def plan_at_ten(self, start_on):
        participant = self.clinic.enrolled()
        body = expect(201, self.place_plan(participant["id"], practitioner_id=self.practitioner["id"], weeks=8,
                                           start_on=start_on,
                                           preferences={"weekdays": ["tue"], "earliest": "10:00", "latest": "10:00"}),
                      f"8-week plan from {start_on}")
        self.assertIsInstance(body.get("id"), str, body)
        sessions = body["sessions"]
        self.assertEqual(len(sessions), 8, sessions)
        stored = self.clinic.sessions(participant_id=participant["id"])
        self.assertEqual([s["start"] for s in stored], [s["start"] for s in sessions], "stored ≠ answered")
        return sessions

    def check_series(self, sessions, first_tuesday, change_day, offset_before, offset_after):
        tuesday = datetime.date.fromisoformat(first_tuesday)
        change = datetime.date.fromisoformat(change_day)
        for week, session in enumerate(sessions):
            day = tuesday + datetime.timedelta(days=7 * week)
            offset = offset_before if day < change else offset_after
            self.assertEqual(session["start"], f"{day.isoformat()}T10:00:00{offset}", f"week {week + 1}: {session}")
            self.assertEqual(instant(session["end"]) - instant(session["start"]), HOUR, session)
            self.assertEqual(session["status"], "scheduled", session)
        utc = [instant(s["start"]).astimezone(UTC) for s in sessions]
        return [later - earlier for earlier, later in zip(utc, utc[1:])]

    def test_spring_forward_keeps_ten_oclock(self):
        sessions = self.plan_at_ten("2027-03-01")
        gaps = self.check_series(sessions, "2027-03-02", "2027-03-14", "-05:00", "-04:00")
        # 2027-03-09 → 2027-03-16 crosses the change: one hour less in UTC.
        self.assertEqual(gaps[1], WEEK - HOUR, gaps)
        self.assertEqual([g for i, g in enumerate(gaps) if i != 1], [WEEK] * 6, gaps)
        self.assertEqual(instant(sessions[0]["start"]).astimezone(UTC).hour, 15)
        self.assertEqual(instant(sessions[-1]["start"]).astimezone(UTC).hour, 14)

    def test_fall_back_keeps_ten_oclock(self):
        sessions = self.plan_at_ten("2027-10-25")
        gaps = self.check_series(sessions, "2027-10-26", "2027-11-07", "-04:00", "-05:00")
        # 2027-11-02 → 2027-11-09 crosses the change: one hour more in UTC.
        self.assertEqual(gaps[1], WEEK + HOUR, gaps)
        self.assertEqual([g for i, g in enumerate(gaps) if i != 1], [WEEK] * 6, gaps)
        self.assertEqual(instant(sessions[0]["start"]).astimezone(UTC).hour, 14)
        self.assertEqual(instant(sessions[-1]["start"]).astimezone(UTC).hour, 15)


class HolidayTests(ClinicCase):
    """Easter Monday and Patriots' Day 2027 are closures; a plan whose
    regular slot falls on one moves within that week."""

    def test_closures_of_2027(self):
        body = expect(200, self.clinic.call("GET", "/api/v1/closures?year=2027"), "GET closures")
        by_date = {item["date"]: item for item in body["items"]}
        for day, words in (("2027-03-29", "pâques"), ("2027-05-24", "patriotes"), ("2027-03-26", "vendredi"),
                           ("2027-01-01", None), ("2027-06-24", None), ("2027-07-01", None),
                           ("2027-09-06", None), ("2027-10-11", None), ("2027-12-25", None), ("2027-12-26", None)):
            self.assertIn(day, by_date, body)
            self.assertEqual(by_date[day]["kind"], "holiday", by_date[day])
            if words:
                self.assertIn(words, by_date[day]["name"].lower(), by_date[day])
        self.assertEqual(len([i for i in body["items"] if i["kind"] == "holiday"]), 10, body)

    def plan_around(self, holiday, first_monday, time_off_tuesday):
        """Mon and Tue windows 10:00–11:00; the Tuesday of week 1 off, so
        Monday 10:00 (free in week 1, tie broken Monday first) is the
        regular slot, and week 2's Monday is the holiday."""
        practitioner = self.clinic.practitioner([("mon", "10:00", "11:00"), ("tue", "10:00", "11:00")])
        expect(201, self.clinic.call("POST", f"/api/v1/practitioners/{practitioner['id']}/time-off",
                                     {"start_date": time_off_tuesday, "end_date": time_off_tuesday,
                                      "reason": "formation"}),
               "POST time-off")
        participant = self.clinic.enrolled()
        body = expect(201, self.place_plan(participant["id"], practitioner_id=practitioner["id"], weeks=2,
                                           start_on=first_monday),
                      f"2-week plan from {first_monday}")
        sessions = body["sessions"]
        self.assertEqual(len(sessions), 2, sessions)
        week2_from = datetime.date.fromisoformat(holiday)
        self.assertEqual(sessions[0]["start"], f"{first_monday}T10:00:00-04:00", sessions)
        self.assertNotEqual(local_date(sessions[1]), week2_from, f"week 2 booked on the holiday: {sessions}")
        self.assertTrue(week2_from <= local_date(sessions[1]) <= week2_from + datetime.timedelta(days=6),
                        f"week 2 left its week: {sessions}")
        # The only free start of that week: Tuesday 10:00.
        self.assertEqual(sessions[1]["start"], f"{week2_from + datetime.timedelta(days=1)}T10:00:00-04:00", sessions)

    def test_plan_moves_off_easter_monday(self):
        self.plan_around("2027-03-29", "2027-03-22", "2027-03-23")

    def test_plan_moves_off_patriots_day(self):
        self.plan_around("2027-05-24", "2027-05-17", "2027-05-18")

    def test_week_without_a_slot_fails_the_whole_plan(self):
        practitioner = self.clinic.practitioner([("mon", "10:00", "11:00")])
        participant = self.clinic.enrolled()
        problem = problem_of(self, self.clinic.raw("POST", f"/api/v1/participants/{participant['id']}/plans",
                                                   {"practitioner_id": practitioner["id"], "weeks": 2,
                                                    "start_on": "2027-03-22"}), 409)
        self.assertEqual(problem.get("failing_week"), {"index": 2, "from": "2027-03-29", "to": "2027-04-04"}, problem)
        self.assertEqual(self.clinic.sessions(participant_id=participant["id"]), [], "week 1 stored anyway")
        self.assertEqual(self.clinic.participant_status(participant["id"]), "enrolled")


class SlotTests(ClinicCase):

    def starts(self, practitioner_id, day, minutes=60):
        body = expect(200, self.clinic.call("GET", f"/api/v1/practitioners/{practitioner_id}/slots"
                                                   f"?from={day}&to={day}&minutes={minutes}"),
                      "GET slots")
        for item in body["items"]:
            self.assertEqual(instant(item["end"]) - instant(item["start"]), datetime.timedelta(minutes=minutes), item)
        return [item["start"] for item in body["items"]]

    def test_fifteen_minute_grid_inside_the_window(self):
        practitioner = self.clinic.practitioner([("tue", "09:00", "12:00")])
        expected = [f"2027-03-16T{h:02d}:{m:02d}:00-04:00" for h in (9, 10) for m in (0, 15, 30, 45)]
        self.assertEqual(self.starts(practitioner["id"], "2027-03-16"), expected + ["2027-03-16T11:00:00-04:00"])

    def test_booked_session_and_its_neighbours_leave_the_grid(self):
        practitioner = self.clinic.practitioner([("tue", "09:00", "12:00")])
        participant = self.clinic.enrolled()
        expect(201, self.clinic.book(practitioner["id"], participant["id"], "2027-03-16T10:00:00-04:00"), "book")
        self.assertEqual(self.starts(practitioner["id"], "2027-03-16"),
                         ["2027-03-16T09:00:00-04:00", "2027-03-16T11:00:00-04:00"])

    def test_no_start_inside_the_spring_forward_gap(self):
        practitioner = self.clinic.practitioner([("sun", "01:00", "04:00")])
        starts = self.starts(practitioner["id"], "2027-03-14")
        local = [instant(s).astimezone(TORONTO) for s in starts]
        self.assertFalse([s for s, t in zip(starts, local) if t.hour == 2], starts)
        for text in starts:
            self.assertNotIn("T02:", text, starts)
            self.assertEqual(instant(text).astimezone(TORONTO).utcoffset(), instant(text).utcoffset(), text)
        # 01:00 EST + 60 min is 03:00 EDT: every start lasts its hour inside 01:00–04:00.
        self.assertEqual(starts, ["2027-03-14T01:00:00-05:00", "2027-03-14T01:15:00-05:00",
                                  "2027-03-14T01:30:00-05:00", "2027-03-14T01:45:00-05:00",
                                  "2027-03-14T03:00:00-04:00"])


# -- 4: concurrency -----------------------------------------------------------------

class ConcurrencyMixin:
    """64 clients at once: one slot → one winner; 64 plans with one
    practitioner → no overlap."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.participants = cls.clinic.enrolled_many(RACERS)

    def session_requests(self, practitioner_id, start):
        return [("POST", "/api/v1/sessions", self.clinic.coordinator,
                 {"practitioner_id": practitioner_id, "participant_id": p["id"], "start": start})
                for p in self.participants]

    def plan_requests(self, practitioner_id, start_on):
        return [("POST", f"/api/v1/participants/{p['id']}/plans", self.clinic.coordinator,
                 {"practitioner_id": practitioner_id, "weeks": 1, "start_on": start_on})
                for p in self.participants]

    def statuses(self, results):
        errors = [r for r in results if isinstance(r, Exception)]
        self.assertFalse(errors, f"clients failed: {errors[:3]}")
        return [r[0] for r in results]

    def check_one_winner(self, daemons, start):
        practitioner = self.clinic.practitioner(WORKWEEK)
        results = race(daemons, self.session_requests(practitioner["id"], start))
        statuses = self.statuses(results)
        self.assertEqual(statuses.count(201), 1, f"201s: {statuses.count(201)}; statuses {sorted(statuses)}")
        for status, headers, body in results:
            if status != 201:
                assert_problem(self, status, headers, body, 409)
        stored = self.clinic.sessions(practitioner_id=practitioner["id"])
        self.assertEqual(len([s for s in stored if s["status"] in ACTIVE]), 1, stored)
        self.assertEqual(instant(stored[0]["start"]), instant(start), stored)

    def check_plans_never_overlap(self, daemons, start_on):
        practitioner = self.clinic.practitioner(WORKWEEK)
        results = race(daemons, self.plan_requests(practitioner["id"], start_on))
        statuses = self.statuses(results)
        self.assertEqual(set(statuses) - {201, 409}, set(), f"statuses {sorted(statuses)}")
        for status, headers, body in results:
            if status == 409:
                problem = assert_problem(self, status, headers, body, 409)
                self.assertEqual(problem.get("failing_week", {}).get("index"), 1, problem)
        stored = self.clinic.sessions(practitioner_id=practitioner["id"])
        active = [s for s in stored if s["status"] in ACTIVE]
        pairs = overlapping_pairs(active)
        self.assertEqual(pairs, [], f"{len(pairs)} overlapping pairs, e.g. {pairs[:2]}")
        self.assertEqual(len(active), statuses.count(201), "sessions stored ≠ plans placed")
        # Mon–Fri 08:00–18:00 holds exactly 50 one-hour sessions; placed one
        # after the other (earliest first), the 64 plans fill all 50.
        self.assertEqual(statuses.count(201), 50, f"statuses {sorted(statuses)}")

    def test_same_slot_one_winner(self):
        self.check_one_winner([self.daemon], "2027-03-16T10:00:00-04:00")

    def test_plans_for_one_practitioner_never_overlap(self):
        self.check_plans_never_overlap([self.daemon], "2027-04-05")


class ConcurrencySQLiteTests(ConcurrencyMixin, ClinicCase):
    pass


class ConcurrencyMariaDBTests(ConcurrencyMixin, MariaDBClinicCase):

    def second_daemon(self):
        second = Daemon(*key_file_args(self.daemon), database=self.mariadb.url)
        self.addCleanup(second.close)
        second.start()
        status, _, _ = self.clinic.call("GET", "/api/v1/users/me", daemon=second)
        self.assertEqual(status, 200, "the coordinator's token is not accepted by the second daemon")
        return second

    def test_two_daemons_same_slot_one_winner(self):
        second = self.second_daemon()
        self.check_one_winner([self.daemon, second], "2027-03-17T10:00:00-04:00")

    def test_two_daemons_plans_never_overlap(self):
        second = self.second_daemon()
        self.check_plans_never_overlap([self.daemon, second], "2027-04-12")


# -- 5: sessions --------------------------------------------------------------------

class SessionStateTests(ClinicCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.practitioner = cls.clinic.practitioner([("tue", "09:00", "12:00"), ("wed", "09:00", "12:00")])
        cls.practitioner_user, cls.practitioner_token = cls.clinic.practitioner_user(cls.practitioner["id"])

    def book(self, start, participant=None):
        participant = participant or self.clinic.enrolled()
        session = expect(201, self.clinic.book(self.practitioner["id"], participant["id"], start), f"book {start}")
        self.assertEqual(session["status"], "scheduled", session)
        self.assertIsInstance(session["id"], str, session)
        return session, participant

    def stored(self, session_id):
        found = [s for s in self.clinic.sessions(practitioner_id=self.practitioner["id"]) if s["id"] == session_id]
        self.assertEqual(len(found), 1, session_id)
        return found[0]

    def test_idempotency_key_books_once(self):
        participant = self.clinic.enrolled()
        body = {"practitioner_id": self.practitioner["id"], "participant_id": participant["id"],
                "start": "2027-06-01T09:00:00-04:00"}
        key = {"Idempotency-Key": f"book-{participant['id']}"}
        first = expect(201, self.clinic.call("POST", "/api/v1/sessions", body, headers=key), "first")
        again = expect(201, self.clinic.call("POST", "/api/v1/sessions", body, headers=key), "retry")
        self.assertEqual(first, again, "a retry with the same key answers as the first time")
        mine = self.clinic.sessions(participant_id=participant["id"])
        self.assertEqual([s["id"] for s in mine], [first["id"]], "one session, not two")
        other = dict(body, start="2027-06-01T10:00:00-04:00")
        problem_of(self, self.clinic.raw("POST", "/api/v1/sessions", other, headers=key), 409)
        self.assertEqual(len(self.clinic.sessions(participant_id=participant["id"])), 1, "the 409 stored nothing")

    def test_session_list_pages_with_a_cursor(self):
        participant = self.clinic.enrolled()
        for start in ("2027-06-08T09:00:00-04:00", "2027-06-09T09:00:00-04:00", "2027-06-15T11:00:00-04:00"):
            self.book(start, participant)
        whole = self.clinic.sessions(participant_id=participant["id"])
        self.assertEqual(len(whole), 3)
        first = expect(200, self.clinic.call("GET", f"/api/v1/sessions?participant_id={participant['id']}&limit=2"),
                       "page 1")
        self.assertEqual(len(first["items"]), 2)
        self.assertIsNotNone(first["next_cursor"], first)
        second = expect(200, self.clinic.call(
            "GET", f"/api/v1/sessions?participant_id={participant['id']}&limit=2&cursor={first['next_cursor']}"),
            "page 2")
        self.assertIsNone(second["next_cursor"], second)
        self.assertEqual([s["id"] for s in first["items"] + second["items"]], [s["id"] for s in whole])
        problem_of(self, self.clinic.raw("GET", "/api/v1/sessions?cursor=abc"), 400)

    def test_participant_cancels_early_then_again(self):
        session, participant = self.book("2027-04-06T09:00:00-04:00")
        _, token = self.clinic.participant_user(participant["id"])
        path = f"/api/v1/sessions/{session['id']}/cancel"
        body = {"reason": "conflit d'horaire", "by": "participant"}
        cancelled = expect(200, self.clinic.call("POST", path, body, token=token), "cancel")
        self.assertEqual(cancelled["status"], "cancelled", cancelled)
        self.assertEqual(self.stored(session["id"])["status"], "cancelled")
        problem = problem_of(self, self.clinic.raw("POST", path, body, token=token), 409)
        self.assertEqual(problem.get("current_status"), "cancelled", problem)
        # The freed time can be booked again.
        self.book("2027-04-06T09:00:00-04:00")

    def test_participant_cannot_cancel_someone_elses_session(self):
        session, _ = self.book("2027-04-06T11:00:00-04:00")
        _, token = self.clinic.participant_user(self.clinic.enrolled()["id"])
        status, _, body = self.clinic.raw("POST", f"/api/v1/sessions/{session['id']}/cancel",
                                          {"reason": "x", "by": "participant"}, token=token)
        self.assertIn(status, (403, 404), body)
        self.assertEqual(self.stored(session["id"])["status"], "scheduled")

    def test_late_cancellation_by_participant(self):
        # A practitioner available all week; a start on the grid 3 to 5 hours from now.
        practitioner = self.clinic.practitioner([(d, "00:00", "23:45")
                                                 for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")])
        now = datetime.datetime.now(TORONTO)
        start = (now + 3 * HOUR).replace(second=0, microsecond=0)
        start += datetime.timedelta(minutes=(-start.minute) % 15)
        if (start.hour, start.minute) > (22, 45):
            start = (start + datetime.timedelta(days=1)).replace(hour=0, minute=15)
        wall = start.replace(tzinfo=None)
        start = wall.replace(tzinfo=TORONTO)  # the offset of that wall time
        if start.astimezone(UTC).astimezone(TORONTO).replace(tzinfo=None) != wall:
            self.skipTest(f"{wall} falls in a spring-forward gap")
        closures = expect(200, self.clinic.call("GET", f"/api/v1/closures?year={start.year}"), "closures")["items"]
        if start.date().isoformat() in [c["date"] for c in closures]:
            self.skipTest(f"{start.date()} is a closure")
        participant = self.clinic.enrolled()
        status, _, session = self.clinic.book(practitioner["id"], participant["id"], start.isoformat())
        self.assertEqual(status, 201, session)
        cancelled = expect(200, self.clinic.call("POST", f"/api/v1/sessions/{session['id']}/cancel",
                                                 {"reason": "malade", "by": "participant"}),
                           "late cancel")
        self.assertEqual(cancelled["status"], "late_cancelled", cancelled)

    def test_participant_never_double_booked(self):
        # Two practitioners, one participant, overlapping times: the second is refused.
        other = self.clinic.practitioner([("tue", "09:00", "12:00")])
        session, participant = self.book("2027-04-13T10:00:00-04:00")
        for start in ("2027-04-13T10:00:00-04:00", "2027-04-13T10:45:00-04:00", "2027-04-13T09:15:00-04:00"):
            with self.subTest(start=start):
                problem_of(self, self.clinic.raw("POST", "/api/v1/sessions",
                                                 {"practitioner_id": other["id"], "participant_id": participant["id"],
                                                  "start": start}), 409)
        self.assertEqual(self.clinic.sessions(practitioner_id=other["id"]), [])
        expect(201, self.clinic.book(other["id"], participant["id"], "2027-04-13T11:00:00-04:00"), "back to back")

    def test_reschedule_to_a_taken_time(self):
        moving, _ = self.book("2027-03-16T10:00:00-04:00")
        taken, _ = self.book("2027-03-16T11:00:00-04:00")
        status, headers, body = self.clinic.raw("PATCH", f"/api/v1/sessions/{moving['id']}",
                                                {"start": "2027-03-16T11:00:00-04:00"})
        assert_problem(self, status, headers, body, 409)
        self.assertEqual(instant(self.stored(moving["id"])["start"]), instant("2027-03-16T10:00:00-04:00"))
        # Half-overlapping is taken too.
        problem_of(self, self.clinic.raw("PATCH", f"/api/v1/sessions/{moving['id']}",
                                         {"start": "2027-03-16T10:30:00-04:00"}), 409)
        # Its practitioner moves it to a free time: same instant in any offset.
        moved = expect(200, self.clinic.call("PATCH", f"/api/v1/sessions/{moving['id']}",
                                             {"start": "2027-03-16T13:00:00Z"}, token=self.practitioner_token),
                       "reschedule")
        self.assertEqual(moved["start"], "2027-03-16T09:00:00-04:00", moved)
        self.assertEqual(self.stored(taken["id"])["start"], "2027-03-16T11:00:00-04:00")

    def test_reschedule_conflict_names_the_session_in_the_way(self):
        moving, _ = self.book("2027-03-17T09:00:00-04:00")
        taken, _ = self.book("2027-03-17T11:00:00-04:00")
        problem = problem_of(self, self.clinic.raw("PATCH", f"/api/v1/sessions/{moving['id']}",
                                                   {"start": "2027-03-17T11:00:00-04:00"}), 409)
        # docs/api.md: a 409 names what is in the way in problem members: conflicts (sessions, with start and id).
        self.assertIn("conflicts", problem, problem)
        self.assertIn(taken["id"], [str(c.get("id")) for c in problem["conflicts"]], problem)

    def test_attendance_rules(self):
        session, _ = self.book("2027-03-23T09:00:00-04:00")
        path = f"/api/v1/sessions/{session['id']}/attendance"
        problem = problem_of(self, self.clinic.raw("POST", path, {"status": "attended"}), 409)
        self.assertEqual(problem.get("current_status"), "scheduled", problem)
        problem_of(self, self.clinic.raw("POST", path, {"status": "no_show"}, token=self.practitioner_token), 409)
        problem_of(self, self.clinic.raw("POST", path, {"status": "excused"}, token=self.practitioner_token), 403)
        problem_of(self, self.clinic.raw("POST", path, {"status": "present"}), 422)
        self.assertEqual(self.stored(session["id"])["status"], "scheduled")


class PastTests(unittest.TestCase):
    """Nothing is booked, planned, moved or held in the past (422 naming
    start / start_on, nothing stored), and attendance (attended / no_show) is
    refused with 409 until the session has started; a coordinator may excuse
    at any time. Time passes through the daemon's test clock."""

    @classmethod
    def setUpClass(cls):
        cls.daemon = Daemon()
        cls.clock = DaemonClock(cls.daemon)
        cls.addClassCleanup(cls.daemon.close)
        cls.daemon.start()
        cls.clinic = Clinic(cls.daemon)
        cls.practitioner = cls.clinic.practitioner([(d, "00:00", "23:59") for d in
                                                    ("mon", "tue", "wed", "thu", "fri", "sat", "sun")])
        cls.participant = cls.clinic.enrolled()

    def tearDown(self):
        self.assertTrue(self.daemon.alive(), f"parcoursd died:\n{self.daemon.log_text()[-3000:]}")

    def book(self, start):
        return self.clinic.raw("POST", "/api/v1/sessions", {"practitioner_id": self.practitioner["id"],
                                                            "participant_id": self.participant["id"],
                                                            "start": start.isoformat()})

    def refused(self, answer, field):
        problem = problem_of(self, answer, 422)
        self.assertIn(field, [e["field"] for e in problem.get("errors", [])], problem)

    def test_booking_and_moving_into_the_past_are_refused(self):
        before = self.clinic.sessions()
        now = datetime.datetime.now(TORONTO).replace(second=0, microsecond=0)
        yesterday = now - datetime.timedelta(days=1)
        for start in (yesterday.replace(hour=10, minute=0), now - datetime.timedelta(minutes=now.minute % 15 + 15),
                      datetime.datetime(2026, 1, 6, 10, 0, tzinfo=TORONTO)):
            with self.subTest(start=start):
                self.refused(self.book(start), "start")
        self.assertEqual(self.clinic.sessions(), before, "nothing stored")
        ahead = datetime.datetime.combine(open_day(self.clinic, (now + datetime.timedelta(days=3)).date()),
                                          datetime.time(10), TORONTO)
        session = expect(201, self.clinic.call("POST", "/api/v1/sessions", {
            "practitioner_id": self.practitioner["id"], "participant_id": self.participant["id"],
            "start": ahead.isoformat()}), "booking ahead")
        self.refused(self.clinic.raw("PATCH", f"/api/v1/sessions/{session['id']}",
                                     {"start": yesterday.replace(hour=11, minute=0).isoformat()}), "start")
        stored = [s for s in self.clinic.sessions(participant_id=self.participant["id"]) if s["id"] == session["id"]]
        self.assertEqual(stored[0]["start"], session["start"], "the session did not move")
        expect(200, self.clinic.call("POST", f"/api/v1/sessions/{session['id']}/cancel",
                                     {"reason": "test", "by": "program"}), "cancel")

    def test_a_plan_never_starts_in_the_past(self):
        pid = self.clinic.enrolled()["id"]
        today = datetime.datetime.now(TORONTO).date()
        for dry_run in (False, True):
            with self.subTest(dry_run=dry_run):
                self.refused(self.clinic.raw("POST", f"/api/v1/participants/{pid}/plans", {
                    "practitioner_id": self.practitioner["id"], "weeks": 2, "dry_run": dry_run,
                    "start_on": (today - datetime.timedelta(days=1)).isoformat()}), "start_on")
        self.assertEqual(self.clinic.sessions(participant_id=pid), [])
        # Starting today: nothing before now (the practitioner is available all day, every day).
        asked_at = datetime.datetime.now(UTC)
        plan = expect(201, self.clinic.call("POST", f"/api/v1/participants/{pid}/plans", {
            "practitioner_id": self.practitioner["id"], "weeks": 2, "start_on": today.isoformat()}), "plan from today")
        for session in plan["sessions"]:
            self.assertGreaterEqual(instant(session["start"]), asked_at.replace(microsecond=0) - datetime.timedelta(seconds=1),
                                    session)

    def test_no_slot_in_the_past_is_offered(self):
        today = datetime.datetime.now(TORONTO).date().isoformat()
        slots = expect(200, self.clinic.call("GET", f"/api/v1/practitioners/{self.practitioner['id']}/slots"
                                                    f"?from={today}&to={today}&minutes=60"), "slots")["items"]
        now = datetime.datetime.now(UTC)
        self.assertTrue(all(instant(slot["start"]) >= now - datetime.timedelta(seconds=5) for slot in slots), slots)

    def test_an_awareness_day_in_the_past_is_refused(self):
        yesterday = datetime.datetime.now(TORONTO).date() - datetime.timedelta(days=1)
        self.refused(self.clinic.raw("POST", "/api/v1/group-sessions", {
            "start": datetime.datetime.combine(yesterday, datetime.time(9), TORONTO).isoformat(), "minutes": 360,
            "location": "Salle 2", "speakers": ["Intervenante A"]}), "start")

    def test_attendance_once_started(self):
        pid = self.clinic.enrolled()["id"]
        # The program's date, not the machine's (after 19:00 in Toronto the UTC date is a day
        # ahead), and afternoon hours: test_booking_... books 10:00 three open days ahead.
        today = datetime.datetime.now(TORONTO).date()
        start = datetime.datetime.combine(open_day(self.clinic, today + datetime.timedelta(days=2)),
                                          datetime.time(13), TORONTO)
        first = expect(201, self.clinic.book(self.practitioner["id"], pid, start.isoformat()), "first")
        second = expect(201, self.clinic.book(self.practitioner["id"], pid,
                                              (start + datetime.timedelta(hours=3)).isoformat()), "second")
        _, token = self.clinic.practitioner_user(self.practitioner["id"])
        for session in (first, second):
            path = f"/api/v1/sessions/{session['id']}/attendance"
            for status, who in (("attended", None), ("no_show", None), ("attended", token)):
                with self.subTest(session=session["id"], status=status):
                    found = problem_of(self, self.clinic.raw("POST", path, {"status": status}, token=who), 409)
                    self.assertEqual(found.get("current_status"), "scheduled", found)
        # A coordinator may excuse ahead (an illness announced in time).
        excused = expect(200, self.clinic.call("POST", f"/api/v1/sessions/{second['id']}/attendance",
                                               {"status": "excused"}), "excused")
        self.assertEqual(excused["status"], "excused")
        day_on = (start + datetime.timedelta(days=1)).date()
        day = expect(201, self.clinic.call("POST", "/api/v1/group-sessions", {
            "start": datetime.datetime.combine(day_on, datetime.time(9), TORONTO).isoformat(), "minutes": 360,
            "location": "Salle 2", "speakers": ["Intervenante A"]}), "awareness day")
        expect(201, self.clinic.call("POST", f"/api/v1/group-sessions/{day['id']}/seats", {"participant_id": pid}),
               "seat")
        seat_path = f"/api/v1/group-sessions/{day['id']}/attendance"
        problem_of(self, self.clinic.raw("POST", seat_path, {"participant_id": pid, "status": "attended"}), 409)
        # Time passes: once started, both are recorded.
        with self.clock.travel(days=(day_on - datetime.date.today()).days + 1):
            done = expect(200, self.clinic.call("POST", f"/api/v1/sessions/{first['id']}/attendance",
                                                {"status": "attended"}, token=token), "attended once started")
            self.assertEqual(done["status"], "attended")
            expect(200, self.clinic.call("POST", seat_path, {"participant_id": pid, "status": "attended"}),
                   "awareness day attended once started")


# -- 6: iCalendar ----------------------------------------------------------------------

def feed_path(url):
    parts = urllib.parse.urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def event_start(event):
    """DTSTART of a parsed VEVENT (UTC or TZID=…) → aware datetime."""
    for name, value in event.items():
        if name == "DTSTART":
            found = ics_instant(value)
            if found:
                return found
        if name.startswith("DTSTART;") and "TZID=" in name:
            zone = name.split("TZID=", 1)[1].split(";", 1)[0].strip('"')
            local = datetime.datetime.strptime(value, "%Y%m%dT%H%M%S")
            return local.replace(tzinfo=zoneinfo.ZoneInfo(zone))
    raise AssertionError(f"no usable DTSTART in {event}")


class FeedTests(ClinicCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        clinic = cls.clinic
        cls.practitioner = clinic.practitioner([("tue", "09:00", "12:00")])
        cls.practitioner_user, cls.practitioner_token = clinic.practitioner_user(cls.practitioner["id"])
        cls.people = [clinic.enrolled() for _ in range(3)]
        cls.sessions = [expect(201, clinic.book(cls.practitioner["id"], p["id"], f"2027-03-16T{9 + i:02d}:00:00-04:00"),
                               "book") for i, p in enumerate(cls.people)]

    def new_token(self, token=None):
        status, _, body = self.clinic.call("POST", f"/api/v1/practitioners/{self.practitioner['id']}/feed-token",
                                           token=token or self.practitioner_token)
        self.assertIn(status, (200, 201), body)
        self.assertIsInstance(body.get("token"), str, body)
        self.assertIn(body["token"], body["url"], body)
        return body

    def fetch(self, url):
        status, headers, raw = self.daemon.request("GET", feed_path(url))
        self.assertEqual(status, 200, raw[:300])
        self.assertEqual(headers.get("content-type", "").split(";")[0].strip(), "text/calendar", headers)
        text = raw.decode("utf-8")
        self.assertTrue(text.startswith("BEGIN:VCALENDAR\r\n"), text[:100])
        self.assertTrue(text.endswith("END:VCALENDAR\r\n"), text[-100:])
        for line in text.split("\r\n"):
            self.assertLessEqual(len(line.encode()), 75, f"unfolded line: {line!r}")
        return text

    def events_by_start(self, text):
        return {event_start(e).astimezone(UTC): e for e in vevents(text)}

    def test_feed_content_uids_sequence_and_cancellation(self):
        feed = self.new_token()
        first, second = self.fetch(feed["url"]), self.fetch(feed["url"])
        events = vevents(first)
        uids = [e.get("UID") for e in events]
        self.assertEqual(len(events), 3, first)
        self.assertEqual(len(set(uids)), 3, uids)
        self.assertEqual(sorted(uids), sorted(e.get("UID") for e in vevents(second)), "UIDs changed between fetches")
        if any(not ics_instant(e.get("DTSTART", "")) for e in events):
            self.assertIn("BEGIN:VTIMEZONE", first, "local times without a VTIMEZONE")
        for person in self.people:
            self.assertNotIn(person["given_name_sent"], first)
            self.assertNotIn(person["family_name_sent"], first)
        by_start = self.events_by_start(first)
        for session, person in zip(self.sessions, self.people):
            event = by_start[instant(session["start"]).astimezone(UTC)]
            self.assertIn(person["code"], event.get("SUMMARY", ""), event)
            self.assertTrue(person["code"].startswith("P-"), person["code"])
            self.assertNotEqual(event.get("STATUS"), "CANCELLED", event)

        moved, cancelled = self.sessions[0], self.sessions[2]
        moved_uid = by_start[instant(moved["start"]).astimezone(UTC)]["UID"]
        cancelled_uid = by_start[instant(cancelled["start"]).astimezone(UTC)]["UID"]
        sequence_before = int(by_start[instant(moved["start"]).astimezone(UTC)].get("SEQUENCE", "0"))
        expect(200, self.clinic.call("PATCH", f"/api/v1/sessions/{moved['id']}", {"start": "2027-03-23T09:00:00-04:00"}),
               "reschedule")
        expect(200, self.clinic.call("POST", f"/api/v1/sessions/{cancelled['id']}/cancel",
                                     {"reason": "absence", "by": "practitioner"}, token=self.practitioner_token),
               "cancel")
        after = {e["UID"]: e for e in vevents(self.fetch(feed["url"]))}
        self.assertEqual(sorted(after), sorted(uids), "UIDs changed after a reschedule")
        self.assertEqual(event_start(after[moved_uid]).astimezone(UTC),
                         datetime.datetime(2027, 3, 23, 13, tzinfo=UTC), after[moved_uid])
        self.assertGreater(int(after[moved_uid].get("SEQUENCE", "0")), sequence_before, after[moved_uid])
        self.assertEqual(after[cancelled_uid].get("STATUS"), "CANCELLED", after[cancelled_uid])

    def test_new_token_revokes_the_old_url(self):
        old = self.new_token()
        self.fetch(old["url"])
        new = self.new_token(token=self.clinic.coordinator)
        self.assertNotEqual(old["token"], new["token"])
        status, _, _ = self.daemon.request("GET", feed_path(old["url"]))
        self.assertEqual(status, 404, "the old feed URL still works")
        self.fetch(new["url"])

    def test_wrong_or_missing_token(self):
        feed = self.new_token()
        base = f"/api/v1/practitioners/{self.practitioner['id']}/calendar.ics"
        wrong = feed["token"][:-4] + ("aaaa" if not feed["token"].endswith("aaaa") else "bbbb")
        for path in (f"{base}?token={wrong}", f"{base}?token=", base, f"{base}?token=pcf_x"):
            status, _, body = self.daemon.request("GET", path)
            self.assertEqual(status, 404, f"{path}: {body[:200]!r}")
        other = self.clinic.practitioner([("tue", "09:00", "12:00")])
        status, _, _ = self.daemon.request("GET", f"/api/v1/practitioners/{other['id']}/calendar.ics"
                                                  f"?token={urllib.parse.quote(feed['token'])}")
        self.assertEqual(status, 404, "one practitioner's token opens another's calendar")

    def test_other_practitioner_cannot_take_the_feed_token(self):
        other = self.clinic.practitioner()
        _, other_token = self.clinic.practitioner_user(other["id"])
        status, _, body = self.clinic.call("POST", f"/api/v1/practitioners/{self.practitioner['id']}/feed-token",
                                           token=other_token)
        self.assertIn(status, (403, 404), body)

    @unittest.skipIf(icalendar is None, "python3-icalendar is not installed: scripts/install-deps must add "
                                        "python3-icalendar for this parser test")
    def test_feed_parses_with_icalendar(self):
        feed = self.new_token()
        calendar = icalendar.Calendar.from_ical(self.fetch(feed["url"]))
        events = list(calendar.walk("VEVENT"))
        self.assertGreaterEqual(len(events), 3)
        self.assertEqual(len({str(e["UID"]) for e in events}), len(events))
        starts = {e.decoded("DTSTART").astimezone(UTC) for e in events}
        self.assertIn(instant(self.sessions[1]["start"]).astimezone(UTC), starts)
        for event in events:
            self.assertIsNotNone(event.decoded("DTSTART").tzinfo, event)
            self.assertEqual(event.decoded("DTEND") - event.decoded("DTSTART"), HOUR, event)
            self.assertRegex(str(event["SUMMARY"]), r"P-[A-Z0-9]{6}")


# -- 7: hostile input --------------------------------------------------------------------

class FeedWindowTests(unittest.TestCase):
    """The feed holds the sessions from 90 days back onward (by start,
    capped), so years of history never push upcoming sessions out. Time
    passes through the daemon's test clock: sessions booked now are "past"
    100 days later; the feed token needs no sign-in, so it works then too."""

    database_url = None   # SQLite in the daemon's folder

    def test_sessions_older_than_ninety_days_leave_the_feed(self):
        daemon = Daemon(database=self.database_url)
        clock = DaemonClock(daemon)
        self.addCleanup(daemon.close)
        daemon.start()
        clinic = Clinic(daemon)
        practitioner = clinic.practitioner([(d, "09:00", "17:00") for d in
                                            ("mon", "tue", "wed", "thu", "fri", "sat", "sun")])
        participant = clinic.enrolled()
        today = datetime.datetime.now(TORONTO).date()

        def book(days_ahead):
            day = open_day(clinic, today + datetime.timedelta(days=days_ahead))
            start = datetime.datetime.combine(day, datetime.time(10), TORONTO)
            return expect(201, clinic.book(practitioner["id"], participant["id"], start.isoformat()), "booking")

        old, recent, upcoming = book(2), book(20), book(130)
        feed = expect(201, clinic.call("POST", f"/api/v1/practitioners/{practitioner['id']}/feed-token"), "token")

        def uids():
            status, _, raw = daemon.request("GET", feed_path(feed["url"]))
            self.assertEqual(status, 200, raw[:300])
            events = vevents(raw.decode("utf-8"))
            starts = [event_start(e) for e in events]
            self.assertEqual(starts, sorted(starts), "ordered by start")
            return [e.get("UID") for e in events]

        def uid(session):
            return f"session-{session['id']}@parcours"

        self.assertEqual(uids(), [uid(old), uid(recent), uid(upcoming)])
        with clock.travel(days=100):   # old: ~98 days ago; recent: ~80 days ago; upcoming: ahead
            self.assertEqual(uids(), [uid(recent), uid(upcoming)])


class FeedWindowMariaDBTests(FeedWindowTests):
    @classmethod
    def setUpClass(cls):
        cls.database_url = private_mariadb(cls)


class HostileInputTests(ClinicCase):
    """Each bad request: a clear 4xx problem+json, nothing stored."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.practitioner = cls.clinic.practitioner([("tue", "09:00", "12:00")])
        cls.participant = cls.clinic.enrolled()
        cls.slots_path = f"/api/v1/practitioners/{cls.practitioner['id']}/slots?from=2027-03-16&to=2027-03-16&minutes=60"

    def setUp(self):
        self.sessions_before = self.clinic.sessions()
        self.slots_before = expect(200, self.clinic.call("GET", self.slots_path), "slots")["items"]

    def tearDown(self):
        super().tearDown()
        self.assertEqual(self.clinic.sessions(), self.sessions_before, "sessions changed")
        self.assertEqual(expect(200, self.clinic.call("GET", self.slots_path), "slots")["items"], self.slots_before,
                         "the practitioner's calendar changed")
        self.assertEqual(self.clinic.participant_status(self.participant["id"]), "enrolled")

    def plan(self, participant_id=None, **overrides):
        body = {"practitioner_id": self.practitioner["id"], "weeks": 2, "start_on": "2027-03-15", **overrides}
        return self.clinic.raw("POST", f"/api/v1/participants/{participant_id or self.participant['id']}/plans", body)

    def book(self, **overrides):
        body = {"practitioner_id": self.practitioner["id"], "participant_id": self.participant["id"],
                "start": "2027-03-16T10:00:00-04:00", **overrides}
        return self.clinic.raw("POST", "/api/v1/sessions", body)

    def test_plan_weeks_out_of_range(self):
        for weeks in (9, 0, -1, 1000000):
            with self.subTest(weeks=weeks):
                problem_of(self, self.plan(weeks=weeks), 422)
        with self.subTest(weeks="8 as text"):
            problem_of(self, self.plan(weeks="8"), 400, 422)

    def test_plan_bad_preferences_and_lengths(self):
        for prefs in ({"earliest": "25:00"}, {"latest": "10:60"}, {"weekdays": ["lun"]},
                      {"earliest": "11:00", "latest": "10:00"}):
            with self.subTest(preferences=prefs):
                problem_of(self, self.plan(preferences=prefs), 422)
        for minutes in (29, 121, 0):
            with self.subTest(session_minutes=minutes):
                problem_of(self, self.plan(session_minutes=minutes), 422)

    def test_time_off_ending_before_it_starts(self):
        problem = problem_of(self, self.clinic.raw("POST", f"/api/v1/practitioners/{self.practitioner['id']}/time-off",
                                                   {"start_date": "2027-03-20", "end_date": "2027-03-16"}), 422)
        self.assertTrue(any(e["field"] == "end_date" for e in problem["errors"]) or "end" in problem["detail"],
                        problem)

    def test_unknown_time_zone(self):
        before = expect(200, self.clinic.call("GET", "/api/v1/practitioners?limit=500"), "list")["items"]
        for zone in ("Mars/Olympus_Mons", "", "../../etc/passwd", "EST5EDT\n"):
            with self.subTest(time_zone=zone):
                problem = problem_of(self, self.clinic.raw("POST", "/api/v1/practitioners",
                                                           {"display_name": "Dre Zone", "discipline": "therapist",
                                                            "email": "zone@example.org", "time_zone": zone}), 422)
                self.assertIn("time_zone", [e["field"] for e in problem["errors"]], problem)
        after = expect(200, self.clinic.call("GET", "/api/v1/practitioners?limit=500"), "list")["items"]
        self.assertEqual(len(after), len(before), "a practitioner was stored")

    def test_hour_25(self):
        problem_of(self, self.book(start="2027-03-16T25:00:00-04:00"), 422)
        availability = f"/api/v1/practitioners/{self.practitioner['id']}/availability"
        for window in ({"weekday": "tue", "start": "25:00", "end": "26:00"},
                       {"weekday": "tue", "start": "09:00", "end": "25:00"},
                       {"weekday": "tue", "start": "12:00", "end": "09:00"},
                       {"weekday": "mardi", "start": "09:00", "end": "12:00"}):
            with self.subTest(window=window):
                problem_of(self, self.clinic.raw("PUT", availability, {"weekly": [window]}), 422)

    def test_years_0_and_10000(self):
        practitioner = self.practitioner["id"]
        for year in ("0000", "10000"):
            with self.subTest(year=year):
                problem_of(self, self.plan(start_on=f"{year}-01-03"), 400, 422)
                problem_of(self, self.book(start=f"{year}-01-04T10:00:00-05:00"), 400, 422)
                problem_of(self, self.clinic.raw("POST", f"/api/v1/practitioners/{practitioner}/time-off",
                                                 {"start_date": f"{year}-01-01", "end_date": f"{year}-01-02"}), 400, 422)
                problem_of(self, self.clinic.raw("GET", f"/api/v1/practitioners/{practitioner}/slots"
                                                        f"?from={year}-01-04&to={year}-01-04"), 400, 422)
                problem_of(self, self.clinic.raw("GET", f"/api/v1/closures?year={int(year)}"), 400, 422)
                problem_of(self, self.clinic.raw("POST", "/api/v1/closures",
                                                 {"date": f"{year}-01-05", "name": "Fermeture"}), 400, 422)

    def test_unknown_ids(self):
        missing = "987654"
        problem_of(self, self.plan(practitioner_id=missing), 404, 422)
        problem_of(self, self.plan(participant_id=missing), 404)
        problem_of(self, self.plan(practitioner_id="not-an-id"), 400, 404, 422)
        problem_of(self, self.book(practitioner_id=missing), 404, 422)
        problem_of(self, self.book(participant_id=missing), 404, 422)
        problem_of(self, self.clinic.raw("GET", f"/api/v1/practitioners/{missing}/slots?from=2027-03-16&to=2027-03-16"),
                   404)
        problem_of(self, self.clinic.raw("PUT", f"/api/v1/practitioners/{missing}/availability",
                                         {"weekly": [{"weekday": "tue", "start": "09:00", "end": "12:00"}]}), 404)
        problem_of(self, self.clinic.raw("POST", f"/api/v1/practitioners/{missing}/time-off",
                                         {"start_date": "2027-03-16", "end_date": "2027-03-16"}), 404)
        problem_of(self, self.clinic.raw("POST", f"/api/v1/practitioners/{missing}/feed-token"), 404)
        problem_of(self, self.clinic.raw("PATCH", f"/api/v1/sessions/{missing}", {"start": "2027-03-16T10:00:00-04:00"}),
                   404)
        problem_of(self, self.clinic.raw("POST", f"/api/v1/sessions/{missing}/cancel",
                                         {"reason": "x", "by": "program"}), 404)
        problem_of(self, self.clinic.raw("POST", f"/api/v1/sessions/{missing}/attendance", {"status": "excused"}), 404)

    def lock_names(self):
        """The calendar_locks rows, read from the daemon's SQLite file."""
        path = os.path.join(self.daemon.dir, "parcours.db")
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            return {row[0] for row in db.execute("SELECT name FROM calendar_locks")}

    def test_unknown_ids_create_no_lock_rows(self):
        before = self.lock_names()
        practitioner, participant = self.practitioner["id"], self.participant["id"]
        for missing in ("987655", "9223372036854775807"):
            with self.subTest(missing=missing):
                found = problem_of(self, self.book(practitioner_id=missing), 404, 422)
                self.assertIn("practitioner_id", [e["field"] for e in found.get("errors", [])], found)
                found = problem_of(self, self.book(participant_id=missing), 404, 422)
                self.assertIn("participant_id", [e["field"] for e in found.get("errors", [])], found)
                problem_of(self, self.plan(practitioner_id=missing), 404, 422)
                problem_of(self, self.plan(participant_id=missing), 404)
                problem_of(self, self.clinic.raw("POST", f"/api/v1/practitioners/{missing}/time-off",
                                                 {"start_date": "2027-03-16", "end_date": "2027-03-16"}), 404)
                problem_of(self, self.clinic.raw("POST", f"/api/v1/group-sessions/{missing}/seats",
                                                 {"participant_id": participant}), 404)
        after = self.lock_names()
        self.assertEqual(after, before, "a refused request with a made-up id created lock rows")
        self.assertFalse([name for name in after if name.endswith(":987655")], after)
        # A real booking still creates (and uses) the rows of real people.
        expect(201, self.clinic.call("POST", "/api/v1/sessions",
                                     {"practitioner_id": practitioner, "participant_id": participant,
                                      "start": "2027-03-23T10:00:00-04:00"}), "booking")
        self.assertLessEqual({f"practitioner:{practitioner}", f"participant:{participant}"}, self.lock_names())
        # (tearDown compares sessions: take this one back out of the way)
        self.sessions_before = self.clinic.sessions()
        self.slots_before = expect(200, self.clinic.call("GET", self.slots_path), "slots")["items"]

    def test_referred_participant_cannot_be_scheduled(self):
        referred = self.clinic.referred()
        problem = problem_of(self, self.plan(participant_id=referred["id"]), 409)
        self.assertEqual(problem.get("current_status"), "referred", problem)
        problem = problem_of(self, self.book(participant_id=referred["id"]), 409)
        self.assertEqual(problem.get("current_status"), "referred", problem)
        self.assertEqual(self.clinic.participant_status(referred["id"]), "referred")

    def test_outside_availability_and_off_grid(self):
        for start in ("2027-03-16T08:00:00-04:00", "2027-03-16T11:30:00-04:00", "2027-03-16T10:07:00-04:00",
                      "2027-03-17T10:00:00-04:00", "2027-03-29T10:00:00-04:00"):
            with self.subTest(start=start):
                problem_of(self, self.book(start=start), 409, 422)


if __name__ == "__main__":
    unittest.main()
