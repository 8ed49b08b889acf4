"""Research export (docs/research.md), on SQLite and on MariaDB.

A seeded random program of a few hundred files is built through the API
(referrals with varied people, decisions, commitments with and without
research consent, withdrawals, fee reductions and waivers, payment plans
and payments, therapy plans, attendance, the awareness day, completions),
by several clients at once. Then:

  - no exported cell equals (or, for longer values, contains) any personal
    value of any file: names, birth date, e-mail, phone, address,
    prosecutor reference, code, exact dates in several formats, free text;
  - only consenting files are exported, with the values the model expects;
  - two exports of one study give the same study ids; two studies give
    disjoint ones;
  - aggregates suppress every cell under 5 and never give a total that
    would let a suppressed cell be recomputed;
  - the export log records the SHA-256 of the exact bytes received;
  - the CSV header is the dictionary's column list;
  - only researchers and admins get in.
"""

import collections
import concurrent.futures
import csv
import datetime
import hashlib
import io
import random
import unittest

from billing_fixtures import BillingCase, MariaDBBillingCase, program_today
from clock_fixtures import local, next_weekday
from scheduling_fixtures import create_user, expect, unique_letters

SEED = 20261202
FILES = 260
WORKERS = 8
GIVEN = ["Éloïse", "Marc-André", "Jean", "Zoë", "François", "Léa", "Ahmed", "Nguyễn", "Olivier", "Chloé"]
FAMILY = ["Côté-Tremblay", "Gagnon", "O'Brien", "Lévesque", "Bouchard", "Roy", "Ndiaye", "Pelletier"]


def date_formats(day):
    """An exact date in the ways it could leak."""
    return {day.isoformat(), day.strftime("%d/%m/%Y"), day.strftime("%m/%d/%Y"), day.strftime("%Y%m%d"),
            day.strftime("%d-%m-%Y"), day.strftime("%Y/%m/%d")}


def age_band(birth, on):
    age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    for top, band in ((17, "under_18"), (24, "18-24"), (34, "25-34"), (44, "35-44"), (54, "45-54"), (64, "55-64")):
        if age <= top:
            return band
    return "65+"


class File:
    """What the test knows of one participant file (its model)."""

    def __init__(self, rng, n):
        today = program_today()
        self.birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 55))
        self.referred_on = today - datetime.timedelta(days=rng.randrange(30, 700))
        self.offence_on = self.referred_on - datetime.timedelta(days=rng.randrange(1, 60))
        tag = unique_letters(6)
        self.body = {
            "given_name": f"{rng.choice(GIVEN)}{tag.capitalize()}",
            "family_name": f"{rng.choice(FAMILY)}{unique_letters(5).capitalize()}",
            "birth_date": self.birth.isoformat(),
            "email": f"{tag}.{n}@courriel.example.org",
            "phone": f"+1 514 555-{rng.randrange(1000, 9999)}",
            "address": f"{rng.randrange(1, 9999)} rue {rng.choice(FAMILY)}\nMontréal QC H2X {rng.randrange(1, 9)}A{n % 10}",
            "language": rng.choice(["fr", "fr", "en"]),
            "referral": {"source": "DPCP", "reference": f"DPCP-{self.referred_on.year}-{n:05d}-{tag.upper()}",
                         "referred_on": self.referred_on.isoformat(), "offence_on": self.offence_on.isoformat()},
        }
        self.id = self.code = None
        self.rng = random.Random(SEED * 1000 + n)  # its own: the threads that act on files draw in any order
        self.status = "referred"
        self.consent = False
        self.free_text = []
        self.dates = [self.birth, self.referred_on, self.offence_on]

    def personal_values(self):
        b = self.body
        values = {b["given_name"], b["family_name"], b["email"], b["phone"], b["address"], self.code,
                  b["referral"]["reference"], f"{b['given_name']} {b['family_name']}"}
        values |= set(b["address"].split("\n")) | set(self.free_text)
        for day in self.dates:
            values |= date_formats(day)
        return {v for v in values if v}

    def expected(self):
        outcome = {"completed": "completed", "withdrawn": "withdrawn", "ineligible": "ineligible"}.get(
            self.status, "in_progress")
        return (self.referred_on.strftime("%Y-%m"), age_band(self.birth, self.referred_on), self.body["language"],
                outcome)


class ResearchMixin:
    clocked = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        till = cls.till
        cls.researcher_user, cls.researcher = create_user(cls.daemon, till.admin, "researcher")
        cls.rng = random.Random(SEED)
        cls.files = [File(cls.rng, n) for n in range(FILES)]
        cls.build_program()
        cls.study = cls.new_study("Évaluation 2027")
        cls.other_study = cls.new_study("Suivi à long terme")

    # -- building the program ------------------------------------------------------

    @classmethod
    def parallel(cls, function, items):
        with concurrent.futures.ThreadPoolExecutor(max_workers=WORKERS) as pool:
            return list(pool.map(function, items))

    @classmethod
    def build_program(cls):
        till, rng = cls.till, cls.rng
        today = program_today()

        def refer(f):
            body = expect(201, till.call("POST", "/api/v1/participants", f.body), "refer")
            f.id, f.code = body["id"], body["code"]
        cls.parallel(refer, cls.files)

        # Decisions: most eligible, some ineligible (a criterion or the prosecutor), a few left referred.
        plan = []
        for f in cls.files:
            roll = rng.random()
            notes = f"Note confidentielle {unique_letters(7)} au dossier"
            if roll < 0.06:
                plan.append((f, None))
                continue
            ineligible = roll < 0.16
            decision = {"decision": "ineligible" if ineligible and rng.random() < 0.5 else "eligible",
                        "offence_involved_minor": ineligible and rng.random() < 0.5,
                        "history_of_violence": ineligible and rng.random() < 0.5, "notes": notes}
            if ineligible and decision["decision"] == "eligible" and not (
                    decision["offence_involved_minor"] or decision["history_of_violence"]):
                decision["history_of_violence"] = True
            f.free_text.append(notes)
            plan.append((f, decision))

        def decide(item):
            f, decision = item
            if decision is None:
                return
            body = expect(200, till.call("POST", f"/api/v1/participants/{f.id}/eligibility", decision), "decide")
            f.status = body["status"]
        cls.parallel(decide, plan)

        eligible = [f for f in cls.files if f.status == "eligible"]
        committing = [f for f in eligible if rng.random() < 0.85]
        for f in committing:
            f.consent = rng.random() < 0.7
            span = (today - f.referred_on).days
            f.signed_on = f.referred_on + datetime.timedelta(days=rng.randrange(0, min(span, 90) + 1))
            f.dates.append(f.signed_on)

        def commit(f):
            body = {"acknowledged_responsibility": True, "signed_on": f.signed_on.isoformat(),
                    "method": f.rng.choice(["paper", "electronic", "in_person"])}
            if f.consent or f.rng.random() < 0.5:   # absent means no
                body["research_consent"] = f.consent
            answer = expect(200, till.call("POST", f"/api/v1/participants/{f.id}/commitment", body), "commit")
            assert answer["research_consent"] is f.consent, answer
            f.status = "enrolled"
        cls.parallel(commit, committing)

        # Money: reductions and waivers (coordinator), plans and payments (finance).
        enrolled = [f for f in cls.files if f.status == "enrolled"]
        money = rng.sample(enrolled, min(70, len(enrolled)))
        for f in money:
            f.fee_action = rng.choice(["reduce", "waive", "plan", "plan", "pay"])

        def settle(f):
            reason = f"Motif {unique_letters(6)} de la réduction"
            if f.fee_action in ("reduce", "waive"):
                new_fee = 0 if f.fee_action == "waive" else f.rng.choice([10000, 25000, 30000])
                expect(201, till.adjust(f.id, new_fee, reason=reason), "fee adjustment")
                f.free_text.append(reason)
                return
            if f.fee_action == "plan":
                first_due = f.signed_on + datetime.timedelta(days=f.rng.randrange(5, 40))
                f.dates.append(first_due)
                expect(201, till.plan(f.id, f.rng.randrange(2, 5), first_due.isoformat()), "payment plan")
            received = min(today, f.signed_on + datetime.timedelta(days=f.rng.randrange(0, 90)))
            f.dates.append(received)
            reference = f"Chèque {unique_letters(6)}"
            f.free_text.append(reference)
            expect(201, till.pay(f.id, f.rng.choice([10000, 20000, 50000]), method="cheque",
                                 received_on=received.isoformat(), reference=reference), "payment")
        cls.parallel(settle, money)

        # Therapy: a one-week plan from tomorrow for some, the awareness day, attendance ten days on.
        practitioners = [till.practitioner([(d, "08:00", "20:00") for d in ("mon", "tue", "wed", "thu", "fri")],
                                           discipline=discipline) for discipline in ("sexologist", "therapist")]
        untouched = [f for f in enrolled if f not in money]   # fee untouched: a waiver settles it
        therapy = rng.sample(untouched, min(30, len(untouched)))

        def place(f):
            f.practitioner = f.rng.choice(practitioners)["id"]
            body = {"practitioner_id": f.practitioner, "weeks": 1,
                    "start_on": (today + datetime.timedelta(days=1)).isoformat()}
            f.sessions = expect(201, till.call("POST", f"/api/v1/participants/{f.id}/plans", body), "plan")["sessions"]
            f.status = "in_therapy"
        cls.parallel(place, therapy)
        day_on = next_weekday(today + datetime.timedelta(days=1), 5)
        day = expect(201, till.call("POST", "/api/v1/group-sessions",
                                    {"start": local(day_on, 9), "minutes": 360, "capacity": 60,
                                     "location": "Salle 2", "speakers": ["Intervenante A"]}), "awareness day")

        def seat(f):
            expect(201, till.call("POST", f"/api/v1/group-sessions/{day['id']}/seats", {"participant_id": f.id}),
                   "seat")
        cls.parallel(seat, therapy)
        with cls.clock.travel(days=10):
            def attend(f):
                f.attended = f.rng.random() < 0.7
                for s in f.sessions:
                    status = "attended" if f.attended else f.rng.choice(["no_show", "excused"])
                    expect(200, till.call("POST", f"/api/v1/sessions/{s['id']}/attendance", {"status": status}),
                           "attendance")
                expect(200, till.call("POST", f"/api/v1/group-sessions/{day['id']}/attendance",
                                      {"participant_id": f.id, "status": "attended"}), "awareness attendance")
                if f.attended and f.rng.random() < 0.8:
                    expect(201, till.adjust(f.id, 0, reason="Exonération"), "waiver")
                    expect(200, till.call("POST", f"/api/v1/participants/{f.id}/complete"), "complete")
                    f.status = "completed"
            cls.parallel(attend, therapy)

        # Withdrawals, with a free-text reason, from any open state.
        open_files = [f for f in cls.files if f.status in ("referred", "eligible", "enrolled", "in_therapy")]
        leaving = rng.sample(open_files, len(open_files) // 8)

        def withdraw(f):
            reason = f"Départ {unique_letters(8)} pour raisons personnelles"
            f.free_text.append(reason)
            expect(200, till.call("POST", f"/api/v1/participants/{f.id}/withdraw", {"reason": reason}), "withdraw")
            f.status = "withdrawn"
        cls.parallel(withdraw, leaving)

    @classmethod
    def new_study(cls, name):
        body = {"name": name, "purpose": f"Évaluer les résultats du programme ({name})",
                "ethics_reference": f"CER-{unique_letters(4).upper()}-2027"}
        created = expect(201, cls.till.call("POST", "/api/v1/research/studies", body, token=cls.till.admin), "study")
        return dict(body, id=created["id"])

    # -- reading ---------------------------------------------------------------------

    def export(self, study, token=None):
        status, headers, body = self.till.raw("GET", f"/api/v1/research/studies/{study['id']}/export.csv",
                                              token=token or self.researcher)
        self.assertEqual(status, 200, body[:500])
        self.assertTrue(headers["content-type"].startswith("text/csv"), headers)
        self.assertEqual(headers["x-content-sha256"], hashlib.sha256(body).hexdigest())
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
        return body, rows[0], [dict(zip(rows[0], row)) for row in rows[1:]]

    def dictionary(self):
        return expect(200, self.till.call("GET", "/api/v1/research/dictionary", token=self.researcher), "dictionary")

    def consenting(self):
        return [f for f in self.files if f.consent]

    # -- the checks --------------------------------------------------------------------

    def test_header_is_the_dictionary_and_values_are_allowed(self):
        dictionary = self.dictionary()
        self.assertTrue(dictionary["version"])
        names = [c["name"] for c in dictionary["columns"]]
        body, header, rows = self.export(self.study)
        self.assertEqual(header, names)
        self.assertEqual(names[0], "study_id")
        self.assertTrue(body.endswith(b"\r\n"))
        for row in rows:
            for column in dictionary["columns"]:
                value = row[column["name"]]
                if value == "":
                    continue
                if column["allowed_values"]:
                    for part in value.split(";"):
                        self.assertIn(part, column["allowed_values"], (column["name"], value))
                if column["type"] == "integer":
                    self.assertRegex(value, r"^-?[0-9]+$", column["name"])
                if column["type"] == "month":
                    self.assertRegex(value, r"^[0-9]{4}-[0-9]{2}$", column["name"])

    def test_no_exported_cell_is_personal(self):
        body, _, rows = self.export(self.study)
        personal = set()
        today = program_today()
        for offset in range(-1, 12):   # the days things happened on: decisions, sessions, completions
            personal |= date_formats(today + datetime.timedelta(days=offset))
        for f in self.files:
            personal |= f.personal_values()
        cells = {value for row in rows for value in row.values()}
        self.assertEqual(cells & personal, set())
        text = body.decode("utf-8")
        for value in personal:
            if len(value) >= 6:
                self.assertNotIn(value, text)
        for f in self.files:   # no id of the file either
            self.assertNotIn(f.code, text)

    def test_only_consenting_files_with_their_values(self):
        _, _, rows = self.export(self.study)
        self.assertGreater(len(self.consenting()), 50)
        self.assertLess(len(self.consenting()), len(self.files))
        got = collections.Counter((r["referral_month"], r["age_band"], r["language"], r["outcome"]) for r in rows)
        want = collections.Counter(f.expected() for f in self.consenting())
        self.assertEqual(got, want)
        outcomes = collections.Counter(r["outcome"] for r in rows)
        self.assertGreater(outcomes["completed"], 0, outcomes)
        self.assertGreater(outcomes["withdrawn"], 0, outcomes)
        attended = [r for r in rows if r["sessions_attended"] not in ("", "0")]
        self.assertTrue(all(r["practitioner_pseudonym"] and r["practitioner_discipline"] for r in attended))
        self.assertTrue(any(r["fee_status"] == "waived" for r in rows))

    def test_study_ids_link_within_a_study_and_not_across(self):
        _, _, first = self.export(self.study)
        _, _, again = self.export(self.study, token=self.till.admin)
        _, _, other = self.export(self.other_study)
        ids = [r["study_id"] for r in first]
        self.assertEqual(len(set(ids)), len(ids))
        self.assertEqual(ids, [r["study_id"] for r in again])
        self.assertEqual(first, again)
        self.assertEqual(set(ids) & {r["study_id"] for r in other}, set())
        self.assertEqual({r["practitioner_pseudonym"] for r in first if r["practitioner_pseudonym"]}
                         & {r["practitioner_pseudonym"] for r in other}, set())

    def test_aggregates_suppress_small_cells_and_never_reveal_them(self):
        _, _, rows = self.export(self.study)
        column = {"outcome": "outcome", "month": "referral_month", "age_band": "age_band"}
        tables = {}
        for by in column:
            table = expect(200, self.till.call(
                "GET", f"/api/v1/research/studies/{self.study['id']}/aggregates?by={by}", token=self.researcher),
                by)
            self.assertEqual((table["by"], table["threshold"]), (by, 5))
            counts = collections.Counter(r[column[by]] for r in rows)
            self.assertEqual([c["key"] for c in table["cells"]], sorted(counts))
            for cell in table["cells"]:
                if counts[cell["key"]] < 5:
                    self.assertEqual((cell["count"], cell["suppressed"]), (None, True), cell)
                else:
                    self.assertEqual((cell["count"], cell["suppressed"]), (counts[cell["key"]], False), cell)
            tables[by] = table
        suppressed_anywhere = any(c["suppressed"] for t in tables.values() for c in t["cells"])
        self.assertTrue(suppressed_anywhere, "the random program has small months")
        for table in tables.values():
            # A total beside any suppressed cell (of any table: they share it) would give it back.
            self.assertIsNone(table["total"])
        status, _, _ = self.till.call("GET", f"/api/v1/research/studies/{self.study['id']}/aggregates?by=name",
                                      token=self.researcher)
        self.assertEqual(status, 400)

    def test_export_log_holds_the_sha256_of_the_bytes_received(self):
        body, _, rows = self.export(self.other_study)
        log = expect(200, self.till.call("GET", "/api/v1/research/exports?limit=500", token=self.till.admin), "log")
        entry = [e for e in log["items"] if e["study_id"] == self.other_study["id"]][-1]
        self.assertEqual(entry["sha256"], hashlib.sha256(body).hexdigest())
        self.assertEqual(entry["row_count"], len(rows))
        self.assertEqual(entry["exported_by"], self.researcher_user["id"])
        self.assertEqual((entry["purpose"], entry["ethics_reference"]),
                         (self.other_study["purpose"], self.other_study["ethics_reference"]))
        audit = expect(200, self.till.call("GET", f"/api/v1/audit?subject=study:{self.other_study['id']}",
                                           token=self.till.admin), "audit")
        self.assertTrue(any(a.get("action") == "research.export" for a in audit["items"]), audit)

    def test_only_researchers_and_admins(self):
        study = self.study["id"]
        finance = self.till.finance
        for path in (f"/api/v1/research/studies/{study}/export.csv", "/api/v1/research/dictionary",
                     f"/api/v1/research/studies/{study}/aggregates?by=outcome", "/api/v1/research/studies"):
            for token in (self.till.coordinator, finance):
                self.assertEqual(self.till.call("GET", path, token=token)[0], 403, path)
        self.assertEqual(self.till.call("GET", "/api/v1/research/exports", token=self.researcher)[0], 403)
        self.assertEqual(self.till.call("POST", "/api/v1/research/studies",
                                        {"name": "x", "purpose": "y", "ethics_reference": "z"},
                                        token=self.researcher)[0], 403)
        self.assertEqual(self.till.call("GET", "/api/v1/research/studies/999999/export.csv",
                                        token=self.researcher)[0], 404)
        status, _, problem = self.till.call("POST", "/api/v1/research/studies", {"name": "x", "purpose": "y"},
                                            token=self.till.admin)
        self.assertEqual(status, 422, problem)


class ResearchSQLite(ResearchMixin, BillingCase):
    pass


class ResearchMariaDB(ResearchMixin, MariaDBBillingCase):
    pass


if __name__ == "__main__":
    unittest.main()
