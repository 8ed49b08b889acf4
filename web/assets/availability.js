// The practitioner's weekly availability: GET then PUT
// /api/v1/practitioners/{id}/availability {weekly: [{weekday, start, end}]}
// (PUT replaces every window). One labelled group per window; windows are
// added and removed here, then saved at once.

import { api, problemText } from './api.js';
import { element } from './dom.js';
import { t } from './i18n.js';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
let serial = 0;

function windowRow(window, list) {
  const id = `window-${++serial}`;
  const day = element('select', { id: `${id}-day` },
    ...WEEKDAYS.map((d) => element('option', { value: d, selected: d === window.weekday }, t(`weekday.${d}`))));
  const start = element('input', { id: `${id}-start`, type: 'time', required: true, value: window.start });
  const end = element('input', { id: `${id}-end`, type: 'time', required: true, value: window.end });
  const remove = element('button', { type: 'button' }, t('availability.remove'));
  const row = element('div', { role: 'group', class: 'window' },
    element('label', { for: day.id }, t('availability.day')), day,
    element('label', { for: start.id }, t('availability.start')), start,
    element('label', { for: end.id }, t('availability.end')), end,
    remove);
  row.read = () => ({ weekday: day.value, start: start.value, end: end.value });
  remove.addEventListener('click', () => {
    const next = row.nextElementSibling || row.previousElementSibling;
    row.remove();
    renumber(list);
    (next?.querySelector('select') || list.parentElement.querySelector('.add'))?.focus();
  });
  return row;
}

// Each group and its remove button say which window they are.
function renumber(list) {
  [...list.children].forEach((row, index) => {
    row.setAttribute('aria-label', t('availability.window', { n: index + 1 }));
    row.querySelector('button').setAttribute('aria-label', t('availability.removeN', { n: index + 1 }));
  });
}

export function availabilitySection(practitionerId) {
  const path = `/api/v1/practitioners/${encodeURIComponent(practitionerId)}/availability`;
  const list = element('div', { class: 'windows' });
  const alert = element('p', { role: 'alert', class: 'error' });
  const status = element('p', { role: 'status' });
  const add = element('button', { type: 'button', class: 'add' }, t('availability.add'));
  const form = element('form', { 'aria-labelledby': 'availability-title', novalidate: true },
    list, add, element('button', { type: 'submit' }, t('availability.save')));
  add.addEventListener('click', () => {
    const row = windowRow({ weekday: 'mon', start: '09:00', end: '12:00' }, list);
    list.append(row);
    renumber(list);
    row.querySelector('select').focus();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    alert.textContent = '';
    status.textContent = '';
    const weekly = [...list.children].map((row) => row.read());
    const answer = await api('PUT', path, { weekly });
    if (answer.status !== 200) {
      alert.textContent = problemText(answer);
      return;
    }
    status.textContent = t('availability.saved');
  });
  api('GET', path).then((answer) => {
    if (answer.status !== 200) {
      alert.textContent = problemText(answer);
      return;
    }
    list.replaceChildren(...answer.data.weekly.map((w) => windowRow(w, list)));
    renumber(list);
  });
  return element('section', { class: 'availability', 'aria-labelledby': 'availability-title' },
    element('h3', { id: 'availability-title' }, t('availability.title')), form, alert, status);
}
