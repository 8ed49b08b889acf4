// The participant's own page (docs/decisions.md "Pages (issue 13): the
// participant's page"): their next sessions, their balance, their
// installments with the payment reference to quote, their documents and
// statement of account as PDFs. Every request names only the signed-in
// user's own participant id (the API refuses any other anyway).

import { allItems, api, problemText } from './api.js';
import { element, show } from './dom.js';
import { t } from './i18n.js';
import { planOrdinals } from './plan-ordinals.js';
import { dayText, hourText, wallClock } from './program-time.js';

// "1 234,56 $" from cents.
export function moneyText(cents, currency = 'CAD') {
  return new Intl.NumberFormat('fr-CA', { style: 'currency', currency }).format(cents / 100);
}

// "3 décembre 2026" from YYYY-MM-DD.
export function dateText(day) {
  return new Intl.DateTimeFormat('fr-CA', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' })
    .format(new Date(`${day}T00:00:00Z`));
}

function section(id, title, ...children) {
  return element('section', { class: 'me-part', 'aria-labelledby': id },
    element('h3', { id }, title), ...children);
}

function failed(answer, what) {
  return element('p', { role: 'alert', class: 'error' }, t('me.loadFailed', { what, detail: problemText(answer) }));
}

// Scheduled sessions from now on, with "séance n de m" for plan sessions.
async function sessionsPart() {
  const answer = await allItems('/api/v1/sessions?limit=500');
  if (answer.status !== 200) return section('me-sessions', t('me.sessions'), failed(answer, t('me.sessions')));
  const ordinals = planOrdinals(answer.items);
  const next = answer.items
    .filter((s) => s.status === 'scheduled' && Date.parse(s.end) > Date.now())
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  if (next.length === 0) return section('me-sessions', t('me.sessions'), element('p', {}, t('me.noSession')));
  const list = element('ul', { class: 'me-list' });
  for (const s of next) {
    const ordinal = ordinals.get(s.id);
    const year = wallClock(s.start).slice(0, 4);
    list.append(element('li', { 'data-session-id': String(s.id) },
      element('strong', {}, `${dayText(s.start)} ${year}`),
      ` ${t('me.sessionTime', { from: hourText(s.start), to: hourText(s.end) })}`,
      ordinal ? element('span', { class: 'ordinal' }, ` · ${t('week.ordinal', ordinal)}`) : null));
  }
  return section('me-sessions', t('me.sessions'), list);
}

function installmentItem(item, currency) {
  return element('li', { class: `installment installment-${item.status}` },
    element('p', { class: 'reference-line' }, `${t('me.reference')} `,
      element('strong', { class: 'reference' }, item.reference)),
    element('dl', {},
      element('dt', {}, t('me.dueOn')), element('dd', {}, dateText(item.due_on)),
      element('dt', {}, t('me.amount')), element('dd', {}, moneyText(item.amount_cents, currency)),
      element('dt', {}, t('me.paid')), element('dd', {}, moneyText(item.paid_cents, currency)),
      element('dt', {}, t('me.status')), element('dd', {}, t(`installment.${item.status}`))));
}

function accountParts(participantId, account) {
  const currency = account.currency || 'CAD';
  const balance = section('me-balance', t('me.balance'),
    element('p', { class: 'balance', id: 'balance' }, moneyText(account.balance_cents, currency)));
  const shown = (account.installments || []).filter((i) => i.status !== 'replaced');
  const installments = section('me-installments', t('me.installments'),
    element('p', {}, t('me.howToPay')),
    shown.length
      ? element('ul', { class: 'me-list' }, ...shown.map((i) => installmentItem(i, currency)))
      : element('p', {}, t('me.noInstallment')));
  const links = element('ul', { class: 'me-list' },
    element('li', {}, element('a', {
      href: `/api/v1/participants/${encodeURIComponent(participantId)}/statement.pdf?lang=fr`, download: '',
      class: 'statement',
    }, t('me.statement'))));
  for (const d of account.documents || []) {
    links.append(element('li', {}, element('a', {
      href: `/api/v1/documents/${encodeURIComponent(d.number)}.pdf`, download: '', class: 'document',
    }, t('me.document', { kind: t(`document.${d.kind}`), number: d.number })),
    ` · ${dateText(d.issued_at.slice(0, 10))} · ${moneyText(d.total_cents, d.currency || currency)}`));
  }
  return [balance, installments, section('me-documents', t('me.documents'), links)];
}

async function accountPart(participantId) {
  const answer = await api('GET', `/api/v1/participants/${encodeURIComponent(participantId)}/account`);
  if (answer.status !== 200) return [section('me-balance', t('me.balance'), failed(answer, t('me.balance')))];
  return accountParts(participantId, answer.data);
}

export async function showMe(user, signOut) {
  document.body.classList.remove('wide');
  const head = element('div', { class: 'page-head' },
    element('h2', { id: 'page-title', tabindex: '-1' }, t('me.title', { name: user.display_name || user.email })), signOut);
  if (!user.participant_id) {
    show(head, element('p', { role: 'alert', class: 'error' }, t('me.noRecord')));
    return;
  }
  const [sessions, account] = await Promise.all([sessionsPart(), accountPart(user.participant_id)]);
  show(head, sessions, ...account);
}
