"""Fixtures for the scheduling end-to-end tests: a daemon with an admin made
by `parcoursd admin create`, a signed-in coordinator, practitioners with
weekly availability, enrolled participants (referral → eligibility →
commitment), races of many clients released at once by a barrier, and a
small RFC 5545 reader (unfolding, VEVENT properties) for the feed checks.

Standard library only; loopback only. The daemons and MariaDB servers are
the harness's, stopped by their own PID."""

import concurrent.futures
import datetime
import http.client
import itertools
import json
import os
import subprocess
import threading

import harness
from people_fixtures import encode_body as encode, unique_letters  # one copy of each

# Every user made here has this password (at least 12 characters).
PASSWORD = "scheduling horse battery staple"

_serial = itertools.count(1)




def decode(headers, raw):
    if raw and "json" in headers.get("content-type", ""):
        try:
            return json.loads(raw)
        except ValueError:
            pass
    return raw


def request_headers(token=None, body=None, extra=None):
    headers = {}
    if body is not None:
        headers["Content-Type"] = "application/json"
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    headers.update(extra or {})
    return headers


def call(daemon, method, path, token=None, body=None, headers=None):
    """One request on a new connection → (status, lower-cased headers, parsed
    JSON when the answer is JSON, else the raw bytes)."""
    status, answer, raw = daemon.request(method, path, body=encode(body),
                                         headers=request_headers(token, body, headers))
    return status, answer, decode(answer, raw)


def call_raw(daemon, method, path, token=None, body=None, headers=None):
    """Like call, but the body stays bytes (for assert_problem)."""
    return daemon.request(method, path, body=encode(body), headers=request_headers(token, body, headers))


def expect(status_wanted, answer, what):
    status, _, body = answer
    if status != status_wanted:
        raise AssertionError(f"{what}: expected {status_wanted}, got {status}: {body!r}"[:2000])
    return body


# -- people ---------------------------------------------------------------------

def admin_create(daemon, email, password, extra_args=()):
    """`parcoursd admin create` in the daemon's folder (its ./var/keys)."""
    done = subprocess.run([harness.binary(), "admin", "create", "--email", email, "--password", password,
                           "--database", daemon.database, *extra_args],
                          cwd=daemon.dir, capture_output=True, timeout=120, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        raise AssertionError(f"admin create failed ({done.returncode}): {done.stderr.decode(errors='replace')}")


def login(daemon, email, password=PASSWORD):
    body = expect(200, call(daemon, "POST", "/api/v1/auth/login", body={"email": email, "password": password}),
                  f"login of {email}")
    return body["token"]


def create_user(daemon, admin_token, role, **extra):
    """A user of that role, signed in → (user, token). The admin sets a first
    password, which the user must change (to PASSWORD) at first sign-in."""
    email = f"{role}.{unique_letters()}@example.org"
    first = "first " + PASSWORD
    user = expect(201, call(daemon, "POST", "/api/v1/users", token=admin_token,
                            body={"email": email, "display_name": f"{role.capitalize()} {unique_letters(5)}",
                                  "role": role, "password": first, **extra}),
                  f"POST /api/v1/users ({role})")
    token = login(daemon, email, first)
    expect(200, call(daemon, "POST", "/api/v1/users/me/password", token=token,
                     body={"current_password": first, "new_password": PASSWORD}), f"password change of {email}")
    return user, token


def key_file_args(daemon):
    """--set options naming the daemon's key files by absolute path (for a
    second daemon in another folder on the same database)."""
    keys = os.path.join(daemon.dir, "var", "keys")
    return ["--set", f"security.key_file={keys}/fields.keys",
            "--set", f"security.lookup_key_file={keys}/lookup.key",
            "--set", f"security.digest_key_file={keys}/digest.key"]


class Clinic:
    """A running daemon with a signed-in admin and coordinator.

        clinic = Clinic(daemon)
        practitioner = clinic.practitioner([("tue", "09:00", "12:00")])
        participant = clinic.enrolled()
    """

    def __init__(self, daemon):
        self.daemon = daemon
        email = f"admin.{unique_letters()}@example.org"
        admin_create(daemon, email, PASSWORD)
        self.admin = login(daemon, email)
        self.coordinator_user, self.coordinator = create_user(daemon, self.admin, "coordinator")

    # requests as the coordinator unless told otherwise
    def call(self, method, path, body=None, token=None, headers=None, daemon=None):
        return call(daemon or self.daemon, method, path, token=token or self.coordinator, body=body, headers=headers)

    def raw(self, method, path, body=None, token=None, headers=None, daemon=None):
        return call_raw(daemon or self.daemon, method, path, token=token or self.coordinator, body=body,
                        headers=headers)

    # -- practitioners ---------------------------------------------------------

    def practitioner(self, weekly=None, **extra):
        """A new practitioner (sexologist) with weekly windows [(weekday,
        start, end)] → its JSON (id is a string)."""
        body = {"display_name": f"Dre {unique_letters(6).capitalize()}", "discipline": "sexologist",
                "email": f"clinic.{unique_letters()}@example.org", **extra}
        practitioner = expect(201, self.call("POST", "/api/v1/practitioners", body), "POST /api/v1/practitioners")
        if weekly is not None:
            self.availability(practitioner["id"], weekly)
        return practitioner

    def availability(self, practitioner_id, weekly):
        body = {"weekly": [{"weekday": d, "start": s, "end": e} for d, s, e in weekly]}
        answer = self.call("PUT", f"/api/v1/practitioners/{practitioner_id}/availability", body)
        if answer[0] not in (200, 204):
            raise AssertionError(f"PUT availability gave {answer[0]}: {answer[2]!r}")

    def practitioner_user(self, practitioner_id):
        """A practitioner user tied to that practitioner → (user, token)."""
        return create_user(self.daemon, self.admin, "practitioner", practitioner_id=practitioner_id)

    def participant_user(self, participant_id):
        return create_user(self.daemon, self.admin, "participant", participant_id=participant_id)

    # -- participants ----------------------------------------------------------

    def referred(self):
        """A new participant in state `referred` → its JSON plus the names sent."""
        n = next(_serial)
        tag = unique_letters()
        given, family = f"Gaston{tag[:4].capitalize()}", f"Lemieux{tag[4:].capitalize()}"
        body = {"given_name": given, "family_name": family, "birth_date": "1980-01-01", "language": "fr",
                "referral": {"reference": f"DPCP-S{n:04d}-{tag.upper()}", "referred_on": "2026-11-01"}}
        participant = expect(201, self.call("POST", "/api/v1/participants", body), "POST /api/v1/participants")
        participant["given_name_sent"], participant["family_name_sent"] = given, family
        return participant

    def enrol(self, participant):
        pid = participant["id"]
        eligible = expect(200, self.call("POST", f"/api/v1/participants/{pid}/eligibility",
                                         {"decision": "eligible", "offence_involved_minor": False,
                                          "history_of_violence": False}),
                          "POST eligibility")
        if eligible.get("status") != "eligible":
            raise AssertionError(f"eligibility did not give eligible: {eligible!r}")
        enrolled = expect(200, self.call("POST", f"/api/v1/participants/{pid}/commitment",
                                         {"acknowledged_responsibility": True, "signed_on": "2026-11-20",
                                          "method": "paper"}),
                          "POST commitment")
        if enrolled.get("status") != "enrolled":
            raise AssertionError(f"commitment did not give enrolled: {enrolled!r}")
        participant["status"] = "enrolled"
        participant["code"] = enrolled.get("code", participant.get("code"))
        return participant

    def enrolled(self):
        return self.enrol(self.referred())

    def enrolled_many(self, count, workers=8):
        """count enrolled participants, made by a few clients at once."""
        with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(lambda _: self.enrolled(), range(count)))

    def participant_status(self, participant_id):
        return expect(200, self.call("GET", f"/api/v1/participants/{participant_id}"), "GET participant")["status"]

    # -- sessions --------------------------------------------------------------

    def sessions(self, **query):
        query.setdefault("limit", 500)
        text = "&".join(f"{k}={v}" for k, v in query.items())
        return expect(200, self.call("GET", f"/api/v1/sessions?{text}"), "GET /api/v1/sessions")["items"]

    def book(self, practitioner_id, participant_id, start, **extra):
        return self.call("POST", "/api/v1/sessions",
                         {"practitioner_id": practitioner_id, "participant_id": participant_id, "start": start,
                          **extra})


# -- races ------------------------------------------------------------------------

def race(daemons, requests, timeout=60):
    """Sends every (method, path, token, body[, headers]) of `requests` from
    its own thread on its own connection (opened beforehand; request i goes
    to daemons[i % len(daemons)]; one Daemon is a list of one), all released
    at once by a barrier → [(status, headers, body bytes) or the exception],
    in order."""
    daemons = daemons if isinstance(daemons, (list, tuple)) else [daemons]
    count = len(requests)
    barrier = threading.Barrier(count)
    results = [None] * count

    def client(i):
        method, path, token, body, *extra = requests[i]
        daemon = daemons[i % len(daemons)]
        conn = http.client.HTTPConnection("127.0.0.1", daemon.port, timeout=timeout)
        try:
            conn.connect()
            data = encode(body)
            headers = request_headers(token, body, extra[0] if extra else None)
            barrier.wait(timeout)
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            results[i] = (response.status, harness.lower_headers(response), response.read())
        except Exception as error:  # reported to the test, which fails on it
            results[i] = error
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(i,), name=f"race-{i}", daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout + 30)
    if any(thread.is_alive() for thread in threads):
        raise AssertionError("a racing client did not finish")
    return results


# -- instants ---------------------------------------------------------------------

def instant(text):
    """RFC 3339 text → aware datetime."""
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    return datetime.datetime.fromisoformat(text)


def overlapping_pairs(sessions):
    """Pairs of active sessions whose [start, end) overlap."""
    active = [s for s in sessions if s["status"] not in ("cancelled", "late_cancelled")]
    active.sort(key=lambda s: instant(s["start"]))
    pairs = []
    for i, a in enumerate(active):
        for b in active[i + 1:]:
            if instant(b["start"]) >= instant(a["end"]):
                break
            pairs.append((a, b))
    return pairs


# -- iCalendar (RFC 5545) reading, for checks that need no parser library ---------

def unfold(text):
    """Content lines: CRLF followed by a space or tab continues the line."""
    lines = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if line[:1] in (" ", "\t") and lines:
            lines[-1] += line[1:]
        elif line:
            lines.append(line)
    return lines


def vevents(text):
    """The VEVENTs of a feed → [{NAME: value}] (parameters dropped from the
    name, kept in NAME;PARAMS too)."""
    events, current = [], None
    for line in unfold(text):
        name_part, _, value = line.partition(":")
        name = name_part.split(";", 1)[0].upper()
        if name == "BEGIN" and value.upper() == "VEVENT":
            current = {}
        elif name == "END" and value.upper() == "VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            current[name] = value
            if name_part.upper() != name:
                current[name_part.upper()] = value
    return events


def ics_instant(value):
    """A UTC DATE-TIME (YYYYMMDDTHHMMSSZ) → aware datetime, else None."""
    try:
        return datetime.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
    except ValueError:
        return None
