"""Awareness days: capacity holds and no seat is given twice under a race,
on SQLite and on MariaDB; a seat counts in the participant's overlap checks;
attendance per seat."""

import json
import unittest

from harness import assert_problem
from scheduling_fixtures import race
from test_scheduling import ClinicCase, MariaDBClinicCase

DAY = {"start": "2027-04-10T09:00:00-04:00", "minutes": 360, "capacity": 12, "location": "Salle 2",
       "speakers": ["Intervenante A", "Intervenant B"]}


class AwarenessDayMixin:
    def create_day(self, **changes):
        status, _, body = self.clinic.call("POST", "/api/v1/group-sessions", dict(DAY, **changes))
        self.assertEqual(status, 201, body)
        return body

    def seat(self, day_id, participant_id):
        return self.clinic.call("POST", f"/api/v1/group-sessions/{day_id}/seats", {"participant_id": participant_id})

    def test_no_two_overlapping_days_for_one_participant(self):
        first = self.create_day(start="2027-05-01T09:00:00-04:00")
        overlapping = self.create_day(start="2027-05-01T13:00:00-04:00")
        later = self.create_day(start="2027-05-08T09:00:00-04:00")
        participant = self.clinic.enrolled()
        status, _, body = self.seat(first["id"], participant["id"])
        self.assertEqual(status, 201, body)
        status, headers, raw = self.clinic.raw("POST", f"/api/v1/group-sessions/{overlapping['id']}/seats",
                                               {"participant_id": participant["id"]})
        assert_problem(self, status, headers, raw, 409)
        status, _, body = self.seat(later["id"], participant["id"])
        self.assertEqual(status, 201, body)

    def test_capacity_holds_under_a_race(self):
        day = self.create_day()
        self.assertEqual((day["capacity"], day["seats_taken"], day["speakers"]), (12, 0, DAY["speakers"]))
        participants = self.clinic.enrolled_many(20)
        requests = [("POST", f"/api/v1/group-sessions/{day['id']}/seats", self.clinic.coordinator,
                     {"participant_id": p["id"]}) for p in participants]
        results = race([self.daemon], requests)
        statuses = sorted(r[0] for r in results)
        self.assertEqual(statuses.count(201), 12, statuses)
        self.assertEqual(statuses.count(409), 8, statuses)
        for status, headers, body in results:
            if status == 409:
                assert_problem(self, status, headers, body, 409)
        status, _, fetched = self.clinic.call("GET", f"/api/v1/group-sessions/{day['id']}")
        self.assertEqual(fetched["seats_taken"], 12)

    def test_no_seat_twice_and_only_enrolled(self):
        day = self.create_day(capacity=3)
        participant = self.clinic.enrolled()
        results = race([self.daemon], [("POST", f"/api/v1/group-sessions/{day['id']}/seats", self.clinic.coordinator,
                                        {"participant_id": participant["id"]})] * 8)
        self.assertEqual(sorted(r[0] for r in results).count(201), 1)
        status, _, fetched = self.clinic.call("GET", f"/api/v1/group-sessions/{day['id']}")
        self.assertEqual(fetched["seats_taken"], 1)
        referred = self.clinic.referred()
        status, headers, body = self.clinic.raw("POST", f"/api/v1/group-sessions/{day['id']}/seats",
                                                {"participant_id": referred["id"]})
        problem = assert_problem(self, status, headers, body, 409)
        self.assertEqual(problem["current_status"], "referred")

    def test_a_seat_counts_in_the_participants_overlap_check(self):
        day = self.create_day(start="2027-04-13T09:00:00-04:00", minutes=180)
        practitioner = self.clinic.practitioner(weekly=[("tue", "08:00", "17:00")])
        participant = self.clinic.enrolled()
        self.assertEqual(self.seat(day["id"], participant["id"])[0], 201)
        status, _, _ = self.clinic.book(practitioner["id"], participant["id"], "2027-04-13T10:00:00-04:00")
        self.assertEqual(status, 409, "a session during the participant's awareness day")
        status, _, _ = self.clinic.book(practitioner["id"], participant["id"], "2027-04-13T13:00:00-04:00")
        self.assertEqual(status, 201, "after the awareness day")

    def test_attendance_per_seat(self):
        day = self.create_day(start="2027-04-20T09:00:00-04:00")
        seated, unseated = self.clinic.enrolled(), self.clinic.enrolled()
        self.assertEqual(self.seat(day["id"], seated["id"])[0], 201)
        path = f"/api/v1/group-sessions/{day['id']}/attendance"
        status, _, body = self.clinic.call("POST", path, {"participant_id": seated["id"], "status": "excused"})
        self.assertEqual((status, body["status"]), (200, "excused"))
        status, headers, body = self.clinic.raw("POST", path, {"participant_id": seated["id"], "status": "attended"})
        assert_problem(self, status, headers, body, 409)  # the day has not started
        status, headers, body = self.clinic.raw("POST", path, {"participant_id": unseated["id"], "status": "excused"})
        assert_problem(self, status, headers, body, 404)
        status, headers, body = self.clinic.raw("POST", path, {"participant_id": seated["id"], "status": "present"})
        assert_problem(self, status, headers, body, 422)

    def test_hostile_input_stores_nothing(self):
        for changes, expected in [({"capacity": 0}, 422), ({"capacity": "12"}, 400), ({"minutes": 5}, 422),
                                  ({"speakers": []}, 422), ({"speakers": "A"}, 400), ({"location": ""}, 422),
                                  ({"start": "2027-04-10T25:00:00-04:00"}, 422)]:
            status, headers, body = self.clinic.raw("POST", "/api/v1/group-sessions", dict(DAY, **changes))
            assert_problem(self, status, headers, body, expected)
        status, headers, body = self.clinic.raw("POST", "/api/v1/group-sessions/999999/seats", {"participant_id": "1"})
        assert_problem(self, status, headers, body, 404)


class AwarenessDaySQLiteTests(AwarenessDayMixin, ClinicCase):
    pass


class AwarenessDayMariaDBTests(AwarenessDayMixin, MariaDBClinicCase):
    pass


if __name__ == "__main__":
    unittest.main()
