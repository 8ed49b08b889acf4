"""A practitioner reads a participant's contact details only while they
treat them: the file is open (not ineligible, completed or withdrawn) and
they hold a session with them that is not cancelled. A late cancellation
still counts (a missed session of the program, which the practitioner
follows up). Checked on one participant (GET /participants/{id}: 404 when
not treated) and on the list (GET /participants).

The completed case needs sessions that have taken place: the daemon's test
clock lets them pass (clock_fixtures)."""

import datetime
import unittest
import zoneinfo

from billing_fixtures import BillingCase, MariaDBBillingCase
from clock_fixtures import attend, awareness_day_seat, open_day, plan_from_tomorrow
from harness import Daemon, private_mariadb, assert_problem
from scheduling_fixtures import Clinic, call, call_raw, expect

TORONTO = zoneinfo.ZoneInfo("America/Toronto")
EVERY_DAY = [(d, "00:00", "23:59") for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")]


class PractitionerAccessTests(unittest.TestCase):
    database_url = None   # SQLite in the daemon's folder

    @classmethod
    def setUpClass(cls):
        cls.daemon = Daemon(database=cls.database_url)
        cls.addClassCleanup(cls.daemon.close)
        cls.daemon.start()
        cls.clinic = Clinic(cls.daemon)
        cls.practitioner = cls.clinic.practitioner(EVERY_DAY)
        _, cls.token = cls.clinic.practitioner_user(cls.practitioner["id"])
        cls.next_day = 0

    def tearDown(self):
        self.assertTrue(self.daemon.alive(), f"parcoursd died:\n{self.daemon.log_text()[-3000:]}")

    def book(self, participant_id, start):
        return expect(201, self.clinic.book(self.practitioner["id"], participant_id, start.isoformat()), "booking")

    def later_day(self):
        """10:00 on a day of its own, weeks ahead (no two tests share a time)."""
        type(self).next_day += 1
        type(self).next_day = (open_day(self.clinic, datetime.date.today() + datetime.timedelta(days=30 + self.next_day))
                               - datetime.date.today()).days - 30
        day = datetime.date.today() + datetime.timedelta(days=30 + self.next_day)
        return datetime.datetime.combine(day, datetime.time(10, 0), TORONTO)

    def sees(self, participant_id):
        status, headers, body = call_raw(self.daemon, "GET", f"/api/v1/participants/{participant_id}", token=self.token)
        listed = expect(200, call(self.daemon, "GET", "/api/v1/participants?limit=500", token=self.token), "list")
        in_list = participant_id in [p["id"] for p in listed["items"]]
        if status == 200:
            self.assertTrue(in_list, "seen alone but not in the list")
            return True
        assert_problem(self, status, headers, body, 404)
        self.assertFalse(in_list, "hidden alone but listed")
        return False

    def cancel(self, session_id, by):
        return expect(200, self.clinic.call("POST", f"/api/v1/sessions/{session_id}/cancel",
                                            {"reason": "empêchement", "by": by}), "cancel")

    def test_a_session_gives_access_and_its_cancellation_takes_it_away(self):
        participant = self.clinic.enrolled()
        pid = participant["id"]
        self.assertFalse(self.sees(pid), "no session yet")
        session = self.book(pid, self.later_day())
        self.assertTrue(self.sees(pid))
        self.assertEqual(self.cancel(session["id"], "program")["status"], "cancelled")
        self.assertFalse(self.sees(pid), "the only session was cancelled")
        self.book(pid, self.later_day())
        self.assertTrue(self.sees(pid), "a new session gives access again")

    def test_a_late_cancellation_keeps_access(self):
        pid = self.clinic.enrolled()["id"]
        start = datetime.datetime.now(TORONTO).replace(second=0, microsecond=0) + datetime.timedelta(hours=12)
        start += datetime.timedelta(minutes=(-start.minute) % 15)
        if start.hour >= 22:  # a session must end before midnight: earlier, still less than 24 h ahead
            start -= datetime.timedelta(hours=3)
        if open_day(self.clinic, start.date()) != start.date():
            self.skipTest("the next 12 hours fall on a holiday: nothing can be booked")
        session = self.book(pid, start)
        self.assertEqual(self.cancel(session["id"], "participant")["status"], "late_cancelled")
        self.assertTrue(self.sees(pid), "a late cancellation is a missed session: still treated")

    def test_a_withdrawn_file_is_closed_to_the_practitioner(self):
        pid = self.clinic.enrolled()["id"]
        self.book(pid, self.later_day())
        self.assertTrue(self.sees(pid))
        expect(200, self.clinic.call("POST", f"/api/v1/participants/{pid}/withdraw", {"reason": "déménagement"}),
               "withdraw")
        self.assertFalse(self.sees(pid), "withdrawn: the file is closed")

    def test_another_practitioners_session_gives_nothing(self):
        other = self.clinic.practitioner(EVERY_DAY)
        pid = self.clinic.enrolled()["id"]
        expect(201, self.clinic.book(other["id"], pid, self.later_day().isoformat()), "booking with another")
        self.assertFalse(self.sees(pid))


class PractitionerAccessMariaDBTests(PractitionerAccessTests):
    @classmethod
    def setUpClass(cls):
        cls.database_url = private_mariadb(cls)
        super().setUpClass()


class CompletedFileTests(BillingCase):
    clocked = True

    def test_a_completed_file_is_closed_to_the_practitioner(self):
        practitioner = self.till.practitioner([(d, "09:00", "17:00") for d in ("mon", "tue", "wed", "thu", "fri")])
        _, token = self.till.practitioner_user(practitioner["id"])
        pid = self.till.enrolled()["id"]
        sessions = plan_from_tomorrow(self.till, practitioner["id"], pid)
        day, _ = awareness_day_seat(self.till, pid)
        attend(self.till, self.clock, pid, sessions, day)
        self.till.paid(pid, 50000)
        path = f"/api/v1/participants/{pid}"
        self.assertEqual(call(self.daemon, "GET", path, token=token)[0], 200, "attended sessions: treated")
        expect(200, self.till.call("POST", f"/api/v1/participants/{pid}/complete"), "complete")
        status, headers, body = call_raw(self.daemon, "GET", path, token=token)
        assert_problem(self, status, headers, body, 404)
        listed = expect(200, call(self.daemon, "GET", "/api/v1/participants?limit=500", token=token), "list")
        self.assertNotIn(pid, [p["id"] for p in listed["items"]])


class CompletedFileMariaDBTests(CompletedFileTests, MariaDBBillingCase):
    pass


if __name__ == "__main__":
    unittest.main()
