// Time off declared by the practitioner: POST
// /api/v1/practitioners/{id}/time-off {start_date, end_date, reason?}
// (inclusive local dates). A 409 names the scheduled sessions inside, which
// the coordinator must move first; the page lists their starts.

import { api, problemText } from './api.js';
import { element } from './dom.js';
import { t } from './i18n.js';
import { dayText, hourText } from './program-time.js';

function conflictText(answer) {
  const sessions = Array.isArray(answer.data?.conflicts) ? answer.data.conflicts : [];
  const starts = sessions.filter((s) => s.start).map((s) => `${dayText(s.start)} ${hourText(s.start)}`);
  return starts.length ? `${problemText(answer)} — ${t('timeOff.conflicts', { list: starts.join(', ') })}` : problemText(answer);
}

export function timeOffSection(practitionerId) {
  const field = (id, label, attributes) => [element('label', { for: id }, t(label)), element('input', { id, ...attributes })];
  const [fromLabel, from] = field('time-off-from', 'timeOff.from', { type: 'date', required: true });
  const [toLabel, to] = field('time-off-to', 'timeOff.to', { type: 'date', required: true });
  const [reasonLabel, reason] = field('time-off-reason', 'timeOff.reason', { type: 'text', maxlength: '200' });
  const alert = element('p', { role: 'alert', class: 'error' });
  const status = element('p', { role: 'status' });
  const form = element('form', { 'aria-labelledby': 'time-off-title', novalidate: true },
    fromLabel, from, toLabel, to, reasonLabel, reason,
    element('button', { type: 'submit' }, t('timeOff.submit')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    alert.textContent = '';
    status.textContent = '';
    if (!from.value || !to.value) {
      alert.textContent = t('timeOff.datesMissing');
      (from.value ? to : from).focus();
      return;
    }
    const body = { start_date: from.value, end_date: to.value };
    if (reason.value.trim()) body.reason = reason.value.trim();
    const answer = await api('POST', `/api/v1/practitioners/${encodeURIComponent(practitionerId)}/time-off`, body);
    if (answer.status !== 201) {
      alert.textContent = conflictText(answer);
      return;
    }
    status.textContent = t('timeOff.saved', { from: answer.data.start_date, to: answer.data.end_date });
    form.reset();
  });
  return element('section', { class: 'time-off', 'aria-labelledby': 'time-off-title' },
    element('h3', { id: 'time-off-title' }, t('timeOff.title')), form, alert, status);
}
