// Data for the page journeys, made through the JSON API with bearer tokens
// (as tests/e2e/scheduling_fixtures.py does): users of each role, a
// practitioner with weekly availability, enrolled participants (referral →
// eligibility → commitment) and therapy plans.
import { PASSWORD, adminToken } from './daemon.mjs';

let serial = 0;

function expect(answer, status, what) {
  if (answer.status !== status) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`.slice(0, 2000));
  return answer.body;
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export class Clinic {
  constructor(daemon) { this.daemon = daemon; }

  async open() {
    this.admin = await adminToken(this.daemon, 'admin@example.org');
    this.coordinator = (await this.user('coordinator')).token;
    return this;
  }

  call(method, path, body, token = this.coordinator) {
    return this.daemon.api(method, path, { token, body });
  }

  // A user of that role whose first password (set by the admin) is already
  // changed to PASSWORD → { user, token, email }.
  async user(role, extra = {}) {
    const email = `${role}.${++serial}@example.org`;
    const first = `first ${PASSWORD}`;
    const user = expect(await this.call('POST', '/api/v1/users',
      { email, display_name: `${role} ${serial}`, role, password: first, ...extra }, this.admin), 201, 'POST /users');
    const signedIn = expect(await this.daemon.api('POST', '/api/v1/auth/login', { body: { email, password: first } }), 200, 'login');
    expect(await this.daemon.api('POST', '/api/v1/users/me/password',
      { token: signedIn.token, body: { current_password: first, new_password: PASSWORD } }), 200, 'password change');
    const token = expect(await this.daemon.api('POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } }), 200, 'login').token;
    return { user, token, email };
  }

  async practitioner(weekly = WEEKDAYS.map((weekday) => ({ weekday, start: '08:00', end: '18:00' }))) {
    const practitioner = expect(await this.call('POST', '/api/v1/practitioners', {
      display_name: `Dre Semaine ${++serial}`, discipline: 'sexologist', email: `clinic.${serial}@example.org`,
    }), 201, 'POST /practitioners');
    const put = await this.call('PUT', `/api/v1/practitioners/${practitioner.id}/availability`, { weekly });
    if (put.status !== 200 && put.status !== 204) throw new Error(`availability: ${put.status}`);
    return practitioner;
  }

  async enrolled() {
    const n = ++serial;
    const participant = expect(await this.call('POST', '/api/v1/participants', {
      given_name: 'Gaston', family_name: `Semaine${'abcdefghij'[n % 10]}`, birth_date: '1980-01-01', language: 'fr',
      referral: { reference: `DPCP-W${String(n).padStart(4, '0')}`, referred_on: '2026-11-01' },
    }), 201, 'POST /participants');
    expect(await this.call('POST', `/api/v1/participants/${participant.id}/eligibility`,
      { decision: 'eligible', offence_involved_minor: false, history_of_violence: false }), 200, 'eligibility');
    const enrolled = expect(await this.call('POST', `/api/v1/participants/${participant.id}/commitment`,
      { acknowledged_responsibility: true, signed_on: '2026-11-20', method: 'paper' }), 200, 'commitment');
    return { ...participant, code: enrolled.code ?? participant.code };
  }

  // A plan of `weeks` weeks from `startOn` (YYYY-MM-DD) → its sessions.
  async plan(participantId, practitionerId, weeks, startOn) {
    return expect(await this.call('POST', `/api/v1/participants/${participantId}/plans`,
      { practitioner_id: practitionerId, weeks, start_on: startOn }), 201, 'POST plans').sessions;
  }

  async session(id, participantId) {
    const list = expect(await this.call('GET', `/api/v1/sessions?participant_id=${participantId}&limit=500`), 200, 'GET sessions');
    return list.items.find((s) => s.id === id);
  }
}

// Today's date in the program's zone, plus `days`.
export function programDate(days = 0) {
  const date = new Date(Date.now() + days * 86400000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Toronto' }).format(date);
}
