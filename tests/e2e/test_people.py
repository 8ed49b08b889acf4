"""People and privacy over HTTP, on SQLite and on MariaDB: the participant
lifecycle and its exclusion rules, sign-in (throttling, no account
enumeration, logout), no plaintext name in either database, the audit log,
list shapes, and hostile input that gets a clear 4xx and stores nothing."""

import contextlib
import json
import os
import re
import subprocess
import unittest
from datetime import datetime

from harness import Daemon, private_mariadb, assert_problem
from people_fixtures import (COMMITMENT, ELIGIBLE, PASSWORD, api, create_user, key_file_args, login, referral,
                             signed_in_roles, unique_letters)

CODE = re.compile(r"^P-[A-Z0-9]{6}$")
LOCKOUT_SECONDS = 120
# Test-only loopback addresses, so that each throttling test is a client of its own.
THROTTLE_CLIENTS = iter(f"127.0.0.{n}" for n in range(20, 250))


def rfc3339(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class PeopleScenarios:
    """The scenarios; a subclass says which database (start_database)."""

    @classmethod
    def start_database(cls):
        """→ database URL, or None for SQLite in the daemon's folder."""
        raise NotImplementedError

    @classmethod
    def setUpClass(cls):
        url = cls.start_database()
        cls.daemon = Daemon(database=url).start()
        cls.addClassCleanup(cls.daemon.stop)
        cls.people = signed_in_roles(cls.daemon)

    # ---- helpers -------------------------------------------------------

    def call(self, method, path, role=None, body=None, headers=None, token=None):
        if role is not None:
            token = self.people.token(role)
        return api(self.daemon, method, path, token=token, body=body, headers=headers)

    def refer(self, headers=None, **overrides):
        body = referral(**overrides)
        status, answer, participant = self.call("POST", "/api/v1/participants", "coordinator", body, headers)
        self.assertEqual(status, 201, participant)
        self.assertTrue(answer["content-type"].startswith("application/json"), answer)
        return participant

    def act(self, participant_id, step, body, headers=None):
        return self.call("POST", f"/api/v1/participants/{participant_id}/{step}", "coordinator", body, headers)

    def read(self, participant_id, role="coordinator"):
        status, _, participant = self.call("GET", f"/api/v1/participants/{participant_id}", role)
        self.assertEqual(status, 200, participant)
        return participant

    def enrol(self, participant_id):
        status, _, body = self.act(participant_id, "eligibility", ELIGIBLE)
        self.assertEqual((status, body["status"]), (200, "eligible"), body)
        status, _, body = self.act(participant_id, "commitment", COMMITMENT)
        self.assertEqual((status, body["status"]), (200, "enrolled"), body)
        return body

    def assert_conflict(self, answer, current_status):
        status, headers, body = answer
        problem = assert_problem(self, status, headers, json.dumps(body), 409)
        self.assertEqual(problem["current_status"], current_status, problem)

    def assert_4xx(self, answer, statuses, field=None):
        status, headers, body = answer
        self.assertIn(status, statuses, body)
        problem = assert_problem(self, status, headers, json.dumps(body) if isinstance(body, dict) else body, status)
        if field is not None:
            self.assertIn(field, [e["field"] for e in problem["errors"]], problem)
        return problem

    def all_participants(self):
        items, path = [], "/api/v1/participants?limit=500"
        for _ in range(20):
            status, _, page = self.call("GET", path, "coordinator")
            self.assertEqual(status, 200, page)
            items += page["items"]
            if page["next_cursor"] is None:
                return items
            path = f"/api/v1/participants?limit=500&cursor={page['next_cursor']}"
        self.fail("more than 20 pages of participants")

    def audit(self, query):
        items, path = [], f"/api/v1/audit?{query}&limit=500"
        for _ in range(20):
            status, _, page = self.call("GET", path, "admin")
            self.assertEqual(status, 200, page)
            items += page["items"]
            if page["next_cursor"] is None:
                return items
            path = f"/api/v1/audit?{query}&limit=500&cursor={page['next_cursor']}"
        self.fail("more than 20 pages of audit entries")

    @contextlib.contextmanager
    def second_daemon(self):
        """Another daemon on the same database and keys: a throttle of its own."""
        daemon = Daemon(*key_file_args(self.daemon), "--set", f"security.login_lockout_seconds={LOCKOUT_SECONDS}",
                        database=self.daemon.database).start()
        try:
            yield daemon
        finally:
            daemon.stop()

    # ---- lifecycle -----------------------------------------------------

    def test_full_lifecycle_referred_eligible_enrolled_withdrawn(self):
        body = referral()
        created = self.refer(**body)
        self.assertIsInstance(created["id"], str)
        self.assertEqual(created["status"], "referred")
        self.assertRegex(created["code"], CODE)
        for part in (body["given_name"], body["family_name"]):
            self.assertNotIn(part.upper()[:4], created["code"], "the code is not derived from the name")
        self.assertEqual(created["given_name"], body["given_name"])
        self.assertEqual(created["family_name"], body["family_name"])
        self.assertEqual(created["birth_date"], body["birth_date"])
        self.assertEqual(created["referral"]["reference"], body["referral"]["reference"])
        self.assertEqual(created["referral"]["source"], "DPCP")
        pid = created["id"]

        status, _, eligible = self.act(pid, "eligibility", dict(ELIGIBLE, notes="prosecutor's letter of 2025-06-10"))
        self.assertEqual(status, 200, eligible)
        self.assertEqual(eligible["status"], "eligible")
        self.assertEqual(eligible["ineligibility_reasons"], [])
        self.assertEqual(eligible["code"], created["code"])

        status, _, enrolled = self.act(pid, "commitment", COMMITMENT)
        self.assertEqual(status, 200, enrolled)
        self.assertEqual(enrolled["status"], "enrolled")
        self.assertEqual(enrolled["commitment_signed_on"], COMMITMENT["signed_on"])
        self.assertEqual(enrolled["commitment_method"], COMMITMENT["method"])
        self.assertEqual(self.read(pid)["status"], "enrolled")

        status, _, withdrawn = self.act(pid, "withdraw", {"reason": "moved away; file returned to the prosecutor"})
        self.assertEqual(status, 200, withdrawn)
        self.assertEqual(withdrawn["status"], "withdrawn")
        self.assertEqual(self.read(pid)["status"], "withdrawn")

    def test_referral_source_defaults_to_dpcp(self):
        body = referral()
        del body["referral"]["source"]
        created = self.refer(**body)
        self.assertEqual(created["referral"]["source"], "DPCP")

    def test_illegal_transitions_are_409_with_current_status(self):
        pid = self.refer()["id"]
        self.assert_conflict(self.act(pid, "commitment", COMMITMENT), "referred")
        self.assertEqual(self.read(pid)["status"], "referred", "a refused transition changes nothing")

        status, _, body = self.act(pid, "withdraw", {"reason": "no show at intake"})
        self.assertEqual((status, body["status"]), (200, "withdrawn"), body)
        self.assert_conflict(self.act(pid, "withdraw", {"reason": "again"}), "withdrawn")
        self.assert_conflict(self.act(pid, "eligibility", ELIGIBLE), "withdrawn")
        self.assert_conflict(self.act(pid, "commitment", COMMITMENT), "withdrawn")

        enrolled = self.refer()["id"]
        self.enrol(enrolled)
        self.assert_conflict(self.act(enrolled, "eligibility", ELIGIBLE), "enrolled")
        self.assert_conflict(self.act(enrolled, "commitment", COMMITMENT), "enrolled")

    def test_ineligible_is_final(self):
        pid = self.refer()["id"]
        status, _, body = self.act(pid, "eligibility", dict(ELIGIBLE, history_of_violence=True))
        self.assertEqual((status, body["status"]), (200, "ineligible"), body)
        self.assert_conflict(self.act(pid, "commitment", COMMITMENT), "ineligible")
        self.assert_conflict(self.act(pid, "eligibility", ELIGIBLE), "ineligible")
        self.assert_conflict(self.act(pid, "withdraw", {"reason": "closing the file"}), "ineligible")

    # ---- exclusion rules -----------------------------------------------

    def test_offence_involving_a_minor_makes_ineligible_whatever_the_decision(self):
        pid = self.refer()["id"]
        status, _, body = self.act(pid, "eligibility", dict(ELIGIBLE, offence_involved_minor=True))
        self.assertEqual(status, 200, body)
        self.assertEqual(body["status"], "ineligible")
        self.assertEqual(body["ineligibility_reasons"], ["offence_involved_minor"])
        self.assertEqual(self.read(pid)["ineligibility_reasons"], ["offence_involved_minor"])

    def test_history_of_violence_makes_ineligible_whatever_the_decision(self):
        pid = self.refer()["id"]
        status, _, body = self.act(pid, "eligibility", dict(ELIGIBLE, history_of_violence=True))
        self.assertEqual(status, 200, body)
        self.assertEqual(body["status"], "ineligible")
        self.assertEqual(body["ineligibility_reasons"], ["history_of_violence"])

    def test_every_reason_is_listed_and_a_negative_decision_is_ineligible(self):
        pid = self.refer()["id"]
        status, _, body = self.act(pid, "eligibility", {"decision": "ineligible", "offence_involved_minor": True,
                                                        "history_of_violence": True})
        self.assertEqual((status, body["status"]), (200, "ineligible"), body)
        self.assertLessEqual({"offence_involved_minor", "history_of_violence"}, set(body["ineligibility_reasons"]))
        plain = self.refer()["id"]
        status, _, body = self.act(plain, "eligibility", dict(ELIGIBLE, decision="ineligible"))
        self.assertEqual((status, body["status"]), (200, "ineligible"), body)

    def test_earlier_participation_folds_case_accents_and_spacing(self):
        tag = unique_letters(6)
        first = self.refer(given_name="Eloise", family_name=f"Cote {tag.capitalize()}", birth_date="1979-02-28")
        self.enrol(first["id"])
        again = self.refer(given_name="  ÉLOÏSE", family_name=f"côté   {tag.upper()} ", birth_date="1979-02-28")
        status, _, body = self.act(again["id"], "eligibility", ELIGIBLE)
        self.assertEqual(status, 200, body)
        self.assertEqual(body["status"], "ineligible")
        self.assertEqual(body["ineligibility_reasons"], ["earlier_participation"])
        # Another birth date is another person.
        other = self.refer(given_name="Éloïse", family_name=f"Côté {tag.capitalize()}", birth_date="1979-03-01")
        status, _, body = self.act(other["id"], "eligibility", ELIGIBLE)
        self.assertEqual((status, body["status"]), (200, "eligible"), body)

    def test_earlier_participation_means_a_file_that_ever_reached_enrolled(self):
        tag = unique_letters(6).capitalize()
        person = {"given_name": "Marc-André", "family_name": f"Gagnon {tag}", "birth_date": "1990-07-14"}
        never_enrolled = self.refer(**person)
        status, _, body = self.act(never_enrolled["id"], "eligibility", ELIGIBLE)
        self.assertEqual((status, body["status"]), (200, "eligible"), body)
        second = self.refer(**person)
        status, _, body = self.act(second["id"], "eligibility", ELIGIBLE)
        self.assertEqual((status, body["status"]), (200, "eligible"),
                         "an eligible file that never enrolled is no earlier participation")
        status, _, body = self.act(second["id"], "commitment", COMMITMENT)
        self.assertEqual((status, body["status"]), (200, "enrolled"), body)
        status, _, body = self.act(second["id"], "withdraw", {"reason": "failed to attend"})
        self.assertEqual((status, body["status"]), (200, "withdrawn"), body)
        third = self.refer(**dict(person, given_name="MARC-ANDRE"))
        status, _, body = self.act(third["id"], "eligibility", ELIGIBLE)
        self.assertEqual(status, 200, body)
        self.assertEqual(body["status"], "ineligible", "a withdrawn file that was enrolled still counts")
        self.assertIn("earlier_participation", body["ineligibility_reasons"])

    # ---- sign-in -------------------------------------------------------

    def test_five_wrong_passwords_lock_the_account_even_for_the_right_password(self):
        email = self.people.emails["finance"]
        attacker, someone_else = next(THROTTLE_CLIENTS), next(THROTTLE_CLIENTS)
        with self.second_daemon() as daemon:
            for attempt in range(5):
                status, headers, body = api(daemon, "POST", "/api/v1/auth/login",
                                            body={"email": email, "password": f"wrong password {attempt}"},
                                            source_address=attacker)
                self.assertEqual(status, 401, f"attempt {attempt + 1}: {body}")
            for client in (attacker, someone_else):
                status, headers, body = api(daemon, "POST", "/api/v1/auth/login",
                                            body={"email": email, "password": PASSWORD}, source_address=client)
                assert_problem(self, status, headers, json.dumps(body), 429)
                self.assertRegex(headers.get("retry-after", ""), r"^\d+$", headers)
                self.assertTrue(1 <= int(headers["retry-after"]) <= LOCKOUT_SECONDS, headers)
                self.assertNotIn("token", body)
            # Another account from an unlocked address still signs in.
            login(daemon, self.people.emails["researcher"], source_address=someone_else)

    def test_five_failures_from_one_address_lock_that_address(self):
        client, other = next(THROTTLE_CLIENTS), next(THROTTLE_CLIENTS)
        with self.second_daemon() as daemon:
            for attempt in range(5):
                status, _, body = api(daemon, "POST", "/api/v1/auth/login",
                                      body={"email": f"nobody.{unique_letters()}@example.org", "password": PASSWORD},
                                      source_address=client)
                self.assertEqual(status, 401, f"attempt {attempt + 1}: {body}")
            status, headers, body = api(daemon, "POST", "/api/v1/auth/login",
                                        body={"email": self.people.emails["researcher"], "password": PASSWORD},
                                        source_address=client)
            assert_problem(self, status, headers, json.dumps(body), 429)
            self.assertRegex(headers.get("retry-after", ""), r"^\d+$", headers)
            login(daemon, self.people.emails["researcher"], source_address=other)

    def test_unknown_email_and_wrong_password_answer_alike(self):
        client = next(THROTTLE_CLIENTS)
        with self.second_daemon() as daemon:
            unknown = api(daemon, "POST", "/api/v1/auth/login",
                          body={"email": f"nobody.{unique_letters()}@example.org", "password": PASSWORD},
                          source_address=client)
            wrong = api(daemon, "POST", "/api/v1/auth/login",
                        body={"email": self.people.emails["coordinator"], "password": "not the password at all"},
                        source_address=client)
        for status, headers, body in (unknown, wrong):
            assert_problem(self, status, headers, json.dumps(body), 401)
        self.assertEqual(unknown[2], wrong[2], "same body")
        same = ("content-type", "www-authenticate", "retry-after")
        self.assertEqual({k: unknown[1].get(k) for k in same}, {k: wrong[1].get(k) for k in same})

    def test_login_answers_token_expiry_and_user(self):
        status, _, body = self.call("POST", "/api/v1/auth/login",
                                    body={"email": self.people.emails["finance"], "password": PASSWORD})
        self.assertEqual(status, 200, body)
        self.assertLessEqual({"token", "expires_at", "user"}, set(body))
        self.assertGreaterEqual(len(body["token"]), 32)
        self.assertIsNotNone(rfc3339(body["expires_at"]).tzinfo)
        self.assertEqual(body["user"]["role"], "finance")
        self.assertEqual(body["user"]["id"], self.people.user_id("finance"))

    def test_logout_revokes_the_token(self):
        token = login(self.daemon, self.people.emails["coordinator"])
        status, _, me = api(self.daemon, "GET", "/api/v1/users/me", token=token)
        self.assertEqual((status, me["role"]), (200, "coordinator"), me)
        status, _, body = api(self.daemon, "POST", "/api/v1/auth/logout", token=token)
        self.assertEqual(status, 200, body)
        for method, path in (("GET", "/api/v1/users/me"), ("POST", "/api/v1/auth/logout"),
                             ("GET", "/api/v1/participants")):
            status, headers, body = api(self.daemon, method, path, token=token)
            assert_problem(self, status, headers, json.dumps(body), 401)
        # Only that token: the coordinator's other sign-in still works.
        status, _, me = self.call("GET", "/api/v1/users/me", "coordinator")
        self.assertEqual(status, 200, me)

    def test_api_token_for_self_works_and_bad_tokens_are_401(self):
        uid = self.people.user_id("researcher")
        status, _, body = self.call("POST", f"/api/v1/users/{uid}/tokens", "researcher")
        self.assertEqual(status, 201, body)
        self.assertIn("token", body)
        status, _, me = api(self.daemon, "GET", "/api/v1/users/me", token=body["token"])
        self.assertEqual((status, me["id"]), (200, uid), me)
        for header in ("Bearer nonsense-token-123", "Bearer " + body["token"][:-2] + "xx", "Basic YWRtaW46YWRtaW4=",
                       "Bearer", "bearer " + body["token"]):
            status, headers, answer = api(self.daemon, "GET", "/api/v1/users/me", headers={"Authorization": header})
            if header.startswith("bearer ") and status == 200:
                continue  # the scheme is case-insensitive (RFC 7235); accepting it is fine
            assert_problem(self, status, headers, json.dumps(answer), 401)

    # ---- privacy at rest -----------------------------------------------

    SECRET = {"given_name": "Zéphyrine", "family_name": "Quarterbridge", "email": "zq@example.org",
              "birth_date": "1971-03-09", "phone": "514 555 0199", "address": "77 chemin Vexholme, Longueuil",
              "referral": {"source": "DPCP", "reference": "DPCP-XYZ-777", "referred_on": "2025-06-02"}}
    NEEDLES = ["Zéphyrine", "Zephyrine", "Quarterbridge", "zq@example.org", "DPCP-XYZ-777", "1971-03-09",
               "514 555 0199", "Vexholme"]

    def plant_secret_person(self):
        """Zéphyrine Quarterbridge, referred, eligible, with a participant user
        named after her → (participant, the bytes nobody may find)."""
        participant = self.refer(**self.SECRET)
        status, _, body = self.act(participant["id"], "eligibility", dict(ELIGIBLE, notes="Quarterbridge: letter"))
        self.assertEqual(status, 200, body)
        status, _, user = self.call("POST", "/api/v1/users", "admin", {
            "email": "zq@example.org", "display_name": "Zéphyrine Quarterbridge", "role": "participant",
            "participant_id": participant["id"], "password": PASSWORD})
        self.assertEqual(status, 201, user)
        self.assertEqual(self.read(participant["id"])["given_name"], "Zéphyrine")
        return participant

    def assert_no_needle(self, haystack, where):
        folded = haystack.lower()
        for needle in self.NEEDLES:
            self.assertNotIn(needle.lower().encode("utf-8"), folded, f"{needle!r} in plain text in {where}")

    def test_no_plaintext_personal_data_in_the_database(self):
        participant = self.plant_secret_person()
        dumps = self.raw_database_dumps()
        self.assertTrue(any(participant["code"].encode() in data for data in dumps.values()),
                        f"the dump should at least hold the code {participant['code']}: {list(dumps)}")
        for where, data in dumps.items():
            self.assert_no_needle(data, where)
        self.assert_no_needle(self.daemon.log_text().encode("utf-8"), "the daemon's log")

    # ---- audit ---------------------------------------------------------

    def test_audit_rows_for_changes_and_reads_with_request_ids(self):
        tag = unique_letters()
        rid = {step: f"e2e-{tag}-{step}" for step in ("create", "refused", "eligibility", "commitment", "read",
                                                      "list", "withdraw")}
        header = lambda step: {"X-Request-Id": rid[step]}
        participant = self.refer(headers=header("create"))
        pid = participant["id"]
        status, answer, _ = self.act(pid, "commitment", COMMITMENT, header("refused"))
        self.assertEqual((status, answer["x-client-request-id"]), (409, rid["refused"]))
        status, answer, _ = self.act(pid, "eligibility", ELIGIBLE, header("eligibility"))
        self.assertEqual((status, answer["x-client-request-id"]), (200, rid["eligibility"]))
        status, _, _ = self.act(pid, "commitment", COMMITMENT, header("commitment"))
        self.assertEqual(status, 200)
        status, answer, _ = self.call("GET", f"/api/v1/participants/{pid}", "coordinator", headers=header("read"))
        self.assertEqual((status, answer["x-client-request-id"]), (200, rid["read"]))
        status, _, _ = self.call("GET", "/api/v1/participants?limit=500", "coordinator", headers=header("list"))
        self.assertEqual(status, 200)
        status, _, _ = self.act(pid, "withdraw", {"reason": "asked to stop"}, header("withdraw"))
        self.assertEqual(status, 200)

        items = self.audit(f"subject=participant:{pid}")
        for item in items:
            self.assertLessEqual({"id", "at", "actor", "action", "subject", "request_id", "detail"}, set(item), item)
            self.assertEqual(item["subject"], f"participant:{pid}")
            self.assertIsNotNone(rfc3339(item["at"]).tzinfo)
        by_request = {}
        for item in items:
            by_request.setdefault(item["client_request_id"], []).append(item)
        # Enrolment also issues the fee invoice, in the same transaction and request.
        expected = {"create": ["participant.create"], "eligibility": ["participant.eligibility"],
                    "commitment": ["invoice.issue", "participant.enrol"], "read": ["participant.read"],
                    "list": ["participant.read"], "withdraw": ["participant.withdraw"]}
        coordinator = self.people.user_id("coordinator")
        for step, actions in expected.items():
            rows = by_request.get(rid[step], [])
            self.assertEqual(sorted(r["action"] for r in rows), actions, f"{step}: {items}")
            self.assertEqual(rows[0]["actor"], coordinator)
        self.assertNotIn(rid["refused"], by_request, "a refused change is not recorded as a change")
        for item in items:
            self.assertNotIn("Prénom", item["detail"])
            self.assertNotIn(participant["given_name"], item["detail"])

        # Filters: actor, from/to.
        mine = self.audit(f"subject=participant:{pid}&actor={coordinator}")
        self.assertEqual({i["id"] for i in mine}, {i["id"] for i in items if i["actor"] == coordinator})
        self.assertEqual(self.audit(f"subject=participant:{pid}&actor={self.people.user_id('finance')}"), [])
        self.assertEqual(self.audit(f"subject=participant:{pid}&from=2999-01-01T00:00:00Z"), [])
        self.assertEqual(self.audit(f"subject=participant:{pid}&to=2000-01-01T00:00:00-05:00"), [])
        status, headers, body = self.call("GET", "/api/v1/audit?from=yesterday", "admin")
        self.assert_4xx((status, headers, body), (400,), "from")

    def test_finance_and_participant_reads_are_audited_too(self):
        tag = unique_letters()
        own = self.people.participant_id
        for role in ("finance", "participant"):
            status, _, _ = self.call("GET", f"/api/v1/participants/{own}", role,
                                     headers={"X-Request-Id": f"e2e-{tag}-{role}"})
            self.assertEqual(status, 200)
        items = self.audit(f"subject=participant:{own}")
        for role in ("finance", "participant"):
            rows = [i for i in items if i["client_request_id"] == f"e2e-{tag}-{role}"]
            self.assertEqual([(r["action"], r["actor"]) for r in rows],
                             [("participant.read", self.people.user_id(role))], items)

    # ---- shapes --------------------------------------------------------

    def test_participant_list_shape_and_paging(self):
        for _ in range(3):
            self.refer()
        status, headers, page = self.call("GET", "/api/v1/participants", "coordinator")
        self.assertEqual(status, 200, page)
        self.assertTrue(headers["content-type"].startswith("application/json"))
        self.assertEqual(set(page), {"items", "next_cursor"})
        self.assertGreaterEqual(len(page["items"]), 3)
        for item in page["items"]:
            self.assertLessEqual({"id", "code", "status", "language", "given_name", "family_name", "birth_date",
                                  "email", "phone", "address", "referral"}, set(item), item)
            self.assertIsInstance(item["id"], str)
            self.assertRegex(item["code"], CODE)

        status, _, first = self.call("GET", "/api/v1/participants?limit=2", "coordinator")
        self.assertEqual((status, len(first["items"])), (200, 2), first)
        self.assertIsInstance(first["next_cursor"], str)
        status, _, second = self.call("GET", f"/api/v1/participants?limit=2&cursor={first['next_cursor']}",
                                      "coordinator")
        self.assertEqual(status, 200, second)
        seen = [int(i["id"]) for i in first["items"] + second["items"]]
        self.assertEqual(seen, sorted(set(seen)), "pages follow one another without overlap")
        everyone = self.all_participants()
        self.assertEqual([i["id"] for i in everyone[:len(seen)]], [str(i) for i in seen])
        for query in ("limit=0", "limit=501", "limit=ten", "cursor=abc"):
            self.assert_4xx(self.call("GET", f"/api/v1/participants?{query}", "coordinator"), (400,))

    def test_each_role_sees_its_share_of_the_list(self):
        own = self.people.participant_id
        status, _, page = self.call("GET", "/api/v1/participants", "participant")
        self.assertEqual(status, 200, page)
        self.assertEqual([i["id"] for i in page["items"]], [own])
        self.assertIsNone(page["next_cursor"])

        status, _, page = self.call("GET", "/api/v1/participants?limit=500", "finance")
        self.assertEqual(status, 200, page)
        self.assertGreaterEqual(len(page["items"]), 1)
        for item in page["items"]:
            self.assertLessEqual({"id", "code", "status", "given_name", "family_name"}, set(item))
            for hidden in ("email", "phone", "birth_date", "referral", "ineligibility_reasons"):
                self.assertNotIn(hidden, item, "finance sees billing fields only")
        status, _, one = self.call("GET", f"/api/v1/participants/{own}", "finance")
        self.assertEqual(status, 200, one)
        self.assertIn("address", one)
        self.assertFalse({"email", "phone", "birth_date", "referral"} & set(one), one)

        if "practitioner" in self.people.tokens:
            status, _, page = self.call("GET", "/api/v1/participants", "practitioner")
            self.assertEqual((status, page["items"], page["next_cursor"]), (200, [], None), page)

    def test_user_shapes(self):
        status, _, me = self.call("GET", "/api/v1/users/me", "participant")
        self.assertEqual(status, 200, me)
        self.assertLessEqual({"id", "email", "display_name", "role", "participant_id", "practitioner_id", "created_at"},
                             set(me))
        self.assertEqual((me["role"], me["participant_id"], me["practitioner_id"]),
                         ("participant", self.people.participant_id, None))
        self.assertFalse({"password", "password_hash"} & set(me), me)
        self.assertNotIn("$argon2", json.dumps(me))

        email = f"new.{unique_letters()}@example.org"
        status, _, user = self.call("POST", "/api/v1/users", "admin",
                                    {"email": email, "display_name": "Sans Mot De Passe", "role": "finance"})
        self.assertEqual(status, 201, user)
        self.assertEqual((user["email"], user["role"]), (email, "finance"))
        self.assertIsInstance(user["one_time_password"], str)
        self.assertGreaterEqual(len(user["one_time_password"]), 12)
        login(self.daemon, email, user["one_time_password"])
        _, user_with_password = create_user(self.daemon, self.people.token("admin"), "researcher")
        self.assertNotIn("one_time_password", user_with_password)
        self.assertNotIn("password", user_with_password)

        status, headers, body = self.call("POST", "/api/v1/users", "admin",
                                          {"email": email, "display_name": "Twice", "role": "finance"})
        self.assert_4xx((status, headers, body), (409,))

    def test_user_links_are_checked(self):
        admin = self.people.token("admin")
        cases = [({"role": "participant"}, "participant_id"),
                 ({"role": "participant", "participant_id": "999999"}, "participant_id"),
                 ({"role": "participant", "participant_id": "abc"}, "participant_id"),
                 ({"role": "finance", "participant_id": self.people.participant_id}, "participant_id"),
                 ({"role": "practitioner"}, "practitioner_id"),
                 ({"role": "practitioner", "practitioner_id": "999999"}, "practitioner_id"),
                 ({"role": "superuser"}, "role"),
                 ({"role": "ADMIN"}, "role")]
        for extra, field in cases:
            with self.subTest(extra=extra):
                email = f"link.{unique_letters()}@example.org"
                body = {"email": email, "display_name": "Link Check", "password": PASSWORD, **extra}
                self.assert_4xx(api(self.daemon, "POST", "/api/v1/users", token=admin, body=body), (422,), field)
                # Nothing was stored: the same e-mail is still free.
                status, _, user = api(self.daemon, "POST", "/api/v1/users", token=admin,
                                      body={"email": email, "display_name": "Link Check", "role": "researcher",
                                            "password": PASSWORD})
                self.assertEqual(status, 201, user)

    # ---- hostile input -------------------------------------------------

    def test_sql_metacharacters_are_text_and_round_trip(self):
        before = len(self.all_participants())
        names = {"given_name": "Robert'); DROP TABLE participants;--",
                 "family_name": "O'Brien \"Bobby\" \\ %_ `x` ; -- /* */"}
        created = self.refer(**names, address="1' OR '1'='1\n2\" OR \"\"=\"")
        for key, value in names.items():
            self.assertEqual(created[key], value)
        again = self.read(created["id"])
        for key, value in names.items():
            self.assertEqual(again[key], value)
        self.assertEqual(again["address"], "1' OR '1'='1\n2\" OR \"\"=\"")
        self.assertEqual(len(self.all_participants()), before + 1)
        status, _, found = self.call("GET", f"/api/v1/participants?cursor=0'%20OR%20'1'='1", "coordinator")
        self.assertEqual(status, 400, found)

    def hostile_referrals(self):
        def with_raw(raw):  # the bytes `raw` inside the given_name string
            return json.dumps(referral(given_name="@@"), ensure_ascii=False).encode().replace(b"@@", raw)

        return [
            ("10 000-character given_name", referral(given_name="A" * 10000), (422,), "given_name"),
            ("10 000-character family_name", referral(family_name="é" * 10000), (422,), "family_name"),
            ("invalid UTF-8 in a string", with_raw(b"\xc3\x28"), (400, 422), None),
            ("invalid UTF-8 lone bytes", with_raw(b"Ana\xff\xfebel"), (400, 422), None),
            ("overlong UTF-8", with_raw(b"\xc0\xafetc"), (400, 422), None),
            ("lone surrogate escape", with_raw(b"\\ud800x"), (400, 422), None),
            ("NUL in a name", referral(given_name="Ana\u0000bel"), (400, 422), "given_name"),
            ("line break in a name", referral(family_name="Tremblay\nDROP"), (422,), "family_name"),
            ("given_name a number", referral(given_name=12), (400,), "given_name"),
            ("birth_date true", referral(birth_date=True), (400,), "birth_date"),
            ("referral a string", referral(referral="x"), (400,), "referral"),
            ("referral an array", referral(referral=[]), (400,), "referral"),
            ("reference a number", referral(referral={"reference": 777}), (400,), "referral.reference"),
            ("language de", referral(language="de"), (422,), "language"),
            ("birth_date not a date", referral(birth_date="1984-02-30"), (422,), "birth_date"),
            ("email not an address", referral(email="zq at example"), (422,), "email"),
            ("missing given_name", {k: v for k, v in referral().items() if k != "given_name"}, (400, 422),
             "given_name"),
            ("missing family_name", {k: v for k, v in referral().items() if k != "family_name"}, (400, 422),
             "family_name"),
            ("missing birth_date", {k: v for k, v in referral().items() if k != "birth_date"}, (400, 422),
             "birth_date"),
            ("missing referral", {k: v for k, v in referral().items() if k != "referral"}, (400, 422), "referral"),
            ("missing reference", referral(referral={"reference": None}), (400, 422), "referral.reference"),
            ("missing referred_on", referral(referral={"referred_on": None}), (400, 422), "referral.referred_on"),
            ("body an array", [referral()], (400,), None),
            ("body not JSON", b"given_name=Robert", (400,), None),
        ]

    def test_hostile_referrals_get_a_clear_4xx_and_store_nothing(self):
        before = self.all_participants()
        creates_before = len([i for i in self.audit(f"actor={self.people.user_id('coordinator')}")
                              if i["action"] == "participant.create"])
        for name, body, statuses, field in self.hostile_referrals():
            with self.subTest(name):
                self.assert_4xx(self.call("POST", "/api/v1/participants", "coordinator", body), statuses, field)
        self.assertEqual(self.all_participants(), before, "nothing stored")
        creates_after = len([i for i in self.audit(f"actor={self.people.user_id('coordinator')}")
                             if i["action"] == "participant.create"])
        self.assertEqual(creates_after, creates_before)
        self.assertEqual(self.call("GET", "/healthz")[0], 200)

    def test_hostile_decisions_change_nothing(self):
        pid = self.refer()["id"]
        cases = [
            ("offence_involved_minor a string", dict(ELIGIBLE, offence_involved_minor="yes"), (400,),
             "offence_involved_minor"),
            ("history_of_violence a number", dict(ELIGIBLE, history_of_violence=0), (400,), "history_of_violence"),
            ("decision maybe", dict(ELIGIBLE, decision="maybe"), (422,), "decision"),
            ("decision a bool", dict(ELIGIBLE, decision=True), (400,), "decision"),
            ("missing decision", {k: v for k, v in ELIGIBLE.items() if k != "decision"}, (400, 422), "decision"),
            ("missing offence_involved_minor", {k: v for k, v in ELIGIBLE.items() if k != "offence_involved_minor"},
             (400, 422), "offence_involved_minor"),
            ("notes of 10 000 characters", dict(ELIGIBLE, notes="n" * 10000), (422,), "notes"),
            ("notes with invalid UTF-8", json.dumps(dict(ELIGIBLE, notes="NOTE")).encode().replace(b"NOTE", b"\xc3\x28"),
             (400, 422), None),
        ]
        for name, body, statuses, field in cases:
            with self.subTest(name):
                self.assert_4xx(self.act(pid, "eligibility", body), statuses, field)
        self.assertEqual(self.read(pid)["status"], "referred")
        self.assertEqual(self.read(pid)["prosecutor_decision"], None)

        status, _, body = self.act(pid, "eligibility", ELIGIBLE)
        self.assertEqual((status, body["status"]), (200, "eligible"), body)
        commitments = [
            ("method fax", dict(COMMITMENT, method="fax"), (422,), "method"),
            ("missing method", {k: v for k, v in COMMITMENT.items() if k != "method"}, (400, 422), "method"),
            ("not acknowledged", dict(COMMITMENT, acknowledged_responsibility=False), (422,),
             "acknowledged_responsibility"),
            ("acknowledged a string", dict(COMMITMENT, acknowledged_responsibility="true"), (400,),
             "acknowledged_responsibility"),
            ("signed_on not a date", dict(COMMITMENT, signed_on="2025-13-40"), (422,), "signed_on"),
            ("signed_on in the future", dict(COMMITMENT, signed_on="2999-01-01"), (422,), "signed_on"),
            ("signed before the referral", dict(COMMITMENT, signed_on="2025-06-01"), (422,), "signed_on"),
            ("missing signed_on", {k: v for k, v in COMMITMENT.items() if k != "signed_on"}, (400, 422), "signed_on"),
        ]
        for name, body, statuses, field in commitments:
            with self.subTest(name):
                self.assert_4xx(self.act(pid, "commitment", body), statuses, field)
        withdrawals = [
            ("missing reason", {}, (400, 422), "reason"),
            ("empty reason", {"reason": "   "}, (422,), "reason"),
            ("reason a number", {"reason": 3}, (400,), "reason"),
        ]
        for name, body, statuses, field in withdrawals:
            with self.subTest(name):
                self.assert_4xx(self.act(pid, "withdraw", body), statuses, field)
        after = self.read(pid)
        self.assertEqual((after["status"], after["commitment_signed_on"]), ("eligible", None))
        actions = [i["action"] for i in self.audit(f"subject=participant:{pid}")]
        self.assertEqual([a for a in actions if a != "participant.read"],
                         ["participant.create", "participant.eligibility"], actions)

    def test_login_and_user_bodies_of_the_wrong_shape(self):
        for body, field in (({"email": 5, "password": PASSWORD}, "email"), ({"email": "a@example.org"}, "password"),
                            ({"password": PASSWORD}, "email")):
            with self.subTest(body=body):
                self.assert_4xx(self.call("POST", "/api/v1/auth/login", body=body), (400, 422), field)
        self.assert_4xx(self.call("POST", "/api/v1/auth/login", body=b"{"), (400,))
        for body, field in (({"display_name": "X", "role": "finance"}, "email"),
                            ({"email": "x@example.org", "role": "finance"}, "display_name"),
                            ({"email": "x@example.org", "display_name": "X"}, "role"),
                            ({"email": "x@example.org", "display_name": "X", "role": 3}, "role"),
                            ({"email": "x@example.org", "display_name": "X" * 10000, "role": "finance"},
                             "display_name"),
                            ({"email": "x@example.org", "display_name": "X", "role": "finance", "password": "short"},
                             "password")):
            with self.subTest(body=body):
                self.assert_4xx(self.call("POST", "/api/v1/users", "admin", body), (400, 422), field)

    def test_bad_and_unknown_ids_in_paths_are_404(self):
        before = len(self.all_participants())
        for bad in ("abc", "0", "-1", "1.5", "1e3", "999999999", "99999999999999999999999", "%20", "1%2F2"):
            with self.subTest(bad=bad):
                self.assert_4xx(self.call("GET", f"/api/v1/participants/{bad}", "coordinator"), (404,))
                for step, body in (("eligibility", ELIGIBLE), ("commitment", COMMITMENT),
                                   ("withdraw", {"reason": "r"})):
                    self.assert_4xx(self.act(bad, step, body), (404,))
                # Only the user mints their own tokens: not the admin, for no one else (403);
                # a path that does not even match the route is 404.
                self.assert_4xx(self.call("POST", f"/api/v1/users/{bad}/tokens", "admin"), (403, 404))
        self.assertEqual(len(self.all_participants()), before)


class OnSQLite(PeopleScenarios, unittest.TestCase):
    @classmethod
    def start_database(cls):
        return None

    def raw_database_dumps(self):
        dumps = {}
        for name in sorted(os.listdir(self.daemon.dir)):
            if name.startswith("parcours.db"):
                with open(os.path.join(self.daemon.dir, name), "rb") as f:
                    dumps[name] = f.read()
        self.assertIn("parcours.db", dumps)
        return dumps


class OnMariaDB(PeopleScenarios, unittest.TestCase):
    @classmethod
    def start_database(cls):
        return private_mariadb(cls)

    def client(self, program, *args):
        done = subprocess.run([program, "--no-defaults", f"--socket={self.mariadb.dir}/sock", "-uroot", *args],
                              capture_output=True, timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr)
        return done.stdout

    def raw_database_dumps(self):
        dumps = {f"SELECT * FROM parcours.{table}": self.client("mariadb", "--batch", "-e",
                                                                f"SELECT * FROM parcours.{table}")
                 for table in ("participants", "users")}
        self.assertIn(b"participant", dumps["SELECT * FROM parcours.users"], "the users table has rows")
        dumps["mariadb-dump parcours"] = self.client("mariadb-dump", "--skip-extended-insert", "parcours")
        return dumps

