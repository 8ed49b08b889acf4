// The practitioner's week (docs/decisions.md "Pages (issue 13): the
// practitioner's week"): FullCalendar's week (a day list on narrow screens)
// of the sessions GET /api/v1/sessions gives them (the API narrows a
// practitioner to their own), by participant code and status, with
// "séance n de m" for plan sessions; a session opens session-dialog.js.
// FullCalendar (a classic script) is loaded only here.

import { allItems, problemText } from './api.js';
import { element, show } from './dom.js';
import { t } from './i18n.js';
import { planOrdinals } from './plan-ordinals.js';
import { programNow, wallClock } from './program-time.js';
import { openSessionDialog } from './session-dialog.js';
import { feedLinkSection } from './feed-link.js';
import { timeOffSection } from './time-off.js';
import { availabilitySection } from './availability.js';

const NARROW = '(max-width: 44rem)';
const VENDOR = '/assets/vendor/fullcalendar/';

function loadScript(src) {
  if (document.querySelector(`script[src="${src}"]`)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const script = element('script', { src });
    script.addEventListener('load', resolve);
    script.addEventListener('error', () => reject(new Error(src)));
    document.head.append(script);
  });
}

async function loadFullCalendar() {
  if (!window.FullCalendar) await loadScript(`${VENDOR}fullcalendar.min.js`);
  await loadScript(`${VENDOR}fr-ca.min.js`);
}

// The sessions of the participants' plans, fetched once per participant
// (one request each, in parallel) and kept until a write changes them.
class PlanSessions {
  constructor() { this.byParticipant = new Map(); }

  forget(participantId) { this.byParticipant.delete(participantId); }

  async ordinals(weekSessions) {
    const missing = [...new Set(weekSessions.filter((s) => s.plan_id).map((s) => s.participant_id))]
      .filter((id) => !this.byParticipant.has(id));
    await Promise.all(missing.map(async (id) => {
      const answer = await allItems(`/api/v1/sessions?participant_id=${encodeURIComponent(id)}&limit=500`);
      if (answer.status === 200) this.byParticipant.set(id, answer.items);
    }));
    const known = [...this.byParticipant.values()].flat();
    return planOrdinals([...known, ...weekSessions]);
  }
}

function eventTitle(session, ordinal) {
  const parts = [session.participant_code, t(`status.${session.status}`)];
  if (ordinal) parts.push(t('week.ordinal', ordinal));
  return parts.join(' · ');
}

function toEvent(session, ordinal) {
  return {
    id: String(session.id),
    title: eventTitle(session, ordinal),
    start: wallClock(session.start),
    end: wallClock(session.end),
    classNames: ['session', `session-${session.status}`],
    extendedProps: { session, ordinal },
  };
}

// The API's window for the calendar's range: a day wider on each side (the
// range is in wall-clock time), the calendar keeps what falls inside.
function rangeQuery(info) {
  const day = 24 * 3600 * 1000;
  const from = new Date(info.start.getTime() - day).toISOString();
  const to = new Date(info.end.getTime() + day).toISOString();
  return `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&limit=500`;
}

function initialDate() {
  const asked = new URLSearchParams(location.search).get('date');
  return asked && /^\d{4}-\d\d-\d\d$/.test(asked) ? asked : programNow().slice(0, 10);
}

export async function showWeek(user, signOut) {
  document.body.classList.add('wide');
  const alert = element('p', { role: 'alert', class: 'error', id: 'week-alert' });
  const host = element('div', { id: 'calendar', role: 'region', 'aria-label': t('week.calendar') });
  show(
    element('div', { class: 'page-head' },
      element('h2', { id: 'page-title', tabindex: '-1' }, t('week.title')), signOut),
    alert,
    host,
    user.practitioner_id ? availabilitySection(user.practitioner_id) : null,
    user.practitioner_id ? timeOffSection(user.practitioner_id) : null,
    user.practitioner_id ? feedLinkSection(user.practitioner_id) : null,
  );
  await loadFullCalendar();
  const plans = new PlanSessions();
  const narrow = window.matchMedia(NARROW);
  const calendar = new window.FullCalendar.Calendar(host, {
    locale: 'fr',
    timeZone: 'UTC',
    now: () => `${programNow()}Z`,
    initialDate: initialDate(),
    initialView: narrow.matches ? 'listWeek' : 'timeGridWeek',
    headerToolbar: { left: 'prev,next today', center: 'title', right: '' },
    allDaySlot: false,
    slotMinTime: '07:00:00',
    slotMaxTime: '21:00:00',
    nowIndicator: true,
    height: 'auto',
    eventInteractive: true,
    events: async (info, success, failure) => {
      const answer = await allItems(`/api/v1/sessions?${rangeQuery(info)}`);
      if (answer.status !== 200) {
        alert.textContent = t('week.loadFailed', { detail: problemText(answer) });
        failure(new Error(String(answer.status)));
        return;
      }
      alert.textContent = '';
      const ordinals = await plans.ordinals(answer.items);
      success(answer.items.map((s) => toEvent(s, ordinals.get(s.id))));
    },
    // The focusable part carries the name (the list view's is the link in its row).
    eventDidMount: ({ el, event }) => {
      const focusable = el.matches('[tabindex], a') ? el : el.querySelector('[tabindex], a') || el;
      focusable.setAttribute('aria-label', event.title);
      focusable.dataset.sessionId = event.id;
    },
    datesSet: ({ startStr }) => {
      const url = new URL(location.href);
      url.searchParams.set('date', startStr.slice(0, 10));
      history.replaceState(null, '', url);
    },
    eventClick: ({ el, event, jsEvent }) => {
      jsEvent.preventDefault();
      openSessionDialog(event.extendedProps.session, event.extendedProps.ordinal, el, (changed) => {
        plans.forget(changed.participant_id);
        calendar.refetchEvents();
      });
    },
  });
  const fitView = () => {
    if (!host.isConnected) {   // the page was left (signed out): let the calendar go
      narrow.removeEventListener('change', fitView);
      calendar.destroy();
      return;
    }
    calendar.changeView(narrow.matches ? 'listWeek' : 'timeGridWeek');
  };
  narrow.addEventListener('change', fitView);
  calendar.render();
  return calendar;
}
