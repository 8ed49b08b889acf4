// One session's dialog: a modal <dialog> (the rest of the page is inert
// while it is open, Escape closes it, focus goes back to the session that
// opened it). Attendance in one click once the session has started (the
// buttons are not offered before; the API refuses it anyway); cancellation
// with a required reason, by the practitioner (cancelled) or at the
// participant's request (late_cancelled when the notice is not respected —
// the API decides). Errors are the problem's detail in a role="alert".

import { api, problemText } from './api.js';
import { element } from './dom.js';
import { t } from './i18n.js';
import { dayText, hasStarted, hourText } from './program-time.js';

const ATTENDANCE_FROM = new Set(['scheduled', 'attended', 'no_show']);

function summary(session, ordinal) {
  const lines = [
    element('p', {}, t('dialog.when', { day: dayText(session.start), from: hourText(session.start), to: hourText(session.end) })),
    element('p', { id: 'session-status' }, t('dialog.status', { status: t(`status.${session.status}`) })),
  ];
  if (ordinal && session.status !== 'cancelled') lines.push(element('p', {}, t('week.ordinal', ordinal)));
  return lines;
}

function attendanceSection(session, write) {
  const section = element('section', { 'aria-labelledby': 'attendance-title' },
    element('h4', { id: 'attendance-title' }, t('dialog.attendance')));
  if (!hasStarted(session.start)) {
    section.append(element('p', {}, t('dialog.notStarted')));
    return section;
  }
  const buttons = element('div', { class: 'actions' });
  for (const [status, label] of [['attended', 'dialog.attended'], ['no_show', 'dialog.noShow']]) {
    const button = element('button', { type: 'button', 'aria-pressed': String(session.status === status) }, t(label));
    button.addEventListener('click', () => write(`/api/v1/sessions/${session.id}/attendance`, { status }));
    buttons.append(button);
  }
  section.append(buttons);
  return section;
}

function cancelForm(session, write) {
  const choice = (value, label, checked) => element('label', { class: 'choice' },
    element('input', { type: 'radio', name: 'cancel-by', value, checked }), ` ${t(label)}`);
  const reason = element('textarea', { id: 'cancel-reason', name: 'reason', required: true, maxlength: '1000', rows: '2' });
  const form = element('form', { 'aria-labelledby': 'cancel-title', novalidate: true },
    element('h4', { id: 'cancel-title' }, t('dialog.cancel')),
    element('fieldset', {},
      element('legend', {}, t('dialog.cancelBy')),
      choice('practitioner', 'dialog.byPractitioner', true),
      choice('participant', 'dialog.byParticipant', false)),
    element('label', { for: 'cancel-reason' }, t('dialog.reason')),
    reason,
    element('button', { type: 'submit' }, t('dialog.cancel')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!reason.value.trim()) {
      reason.setAttribute('aria-invalid', 'true');
      write(null, null, t('dialog.reasonMissing'));
      reason.focus();
      return;
    }
    reason.removeAttribute('aria-invalid');
    const by = form.querySelector('input[name="cancel-by"]:checked').value;
    write(`/api/v1/sessions/${session.id}/cancel`, { reason: reason.value.trim(), by });
  });
  return form;
}

const FOCUSABLE = 'button, input, textarea, select, a[href], [tabindex]:not([tabindex="-1"])';

// A modal dialog makes the page inert, but Tab past its last control would
// leave the document (to the browser's own controls): wrap around instead.
function trapFocus(dialog) {
  dialog.addEventListener('keydown', (event) => {
    if (event.key !== 'Tab') return;
    const controls = [...dialog.querySelectorAll(FOCUSABLE)].filter((c) => !c.disabled && c.getClientRects().length);
    if (!controls.length) return;
    const first = controls[0];
    const last = controls[controls.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  });
}

// opener: the element to focus again on close; onChange(session) after a write.
export function openSessionDialog(session, ordinal, opener, onChange) {
  document.getElementById('session-dialog')?.remove();
  const dialog = element('dialog', { id: 'session-dialog', 'aria-labelledby': 'session-dialog-title' });
  const alert = element('p', { role: 'alert', class: 'error' });
  const body = element('div');
  const close = element('button', { type: 'button', class: 'close' }, t('dialog.close'));
  close.addEventListener('click', () => dialog.close());

  const render = (current) => {
    const write = async (path, payload, message) => {
      alert.textContent = message || '';
      if (!path) return;
      const answer = await api('POST', path, payload);
      if (answer.status !== 200) {
        alert.textContent = problemText(answer);
        return;
      }
      onChange(answer.data);
      render(answer.data);
      alert.textContent = t('dialog.saved', { status: t(`status.${answer.data.status}`) });
      // The pressed control was redrawn: keep the focus in the dialog, on the choice made.
      (body.querySelector('[aria-pressed="true"]') || close).focus();
    };
    const parts = [...summary(current, ordinal)];
    if (ATTENDANCE_FROM.has(current.status)) parts.push(attendanceSection(current, write));
    if (current.status === 'scheduled') parts.push(cancelForm(current, write));
    body.replaceChildren(...parts);
  };

  dialog.append(element('h3', { id: 'session-dialog-title' }, t('dialog.title', { code: session.participant_code })),
    alert, body, close);
  dialog.addEventListener('close', () => {
    dialog.remove();
    const target = opener?.isConnected ? opener : document.querySelector(`[data-session-id="${session.id}"]`);
    (target || document.getElementById('page-title'))?.focus();
  });
  render(session);
  trapFocus(dialog);
  document.body.append(dialog);
  dialog.showModal();
  close.focus();
}
