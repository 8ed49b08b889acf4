// One participant's file for the coordinator (/participants/{id}): the
// referral, the status, and the steps the API offers: eligibility with the
// exclusion criteria, commitment with research consent, withdrawal with a
// reason, completion (what is unmet listed), and plan placement (a dry run shows the proposed dates first,
// "Réserver" then books the same plan). Each step calls the API and redraws
// the file from its answer.

import { allItems, api, problemText } from './api.js';
import { element, show } from './dom.js';
import { FieldSet } from './form-fields.js';
import { t } from './i18n.js';
import { dayText, hourText } from './program-time.js';

function detailList(file) {
  const rows = [
    ['file.name', [file.given_name, file.family_name].filter(Boolean).join(' ')],
    ['participants.status', t(`participant.status.${file.status}`)],
    ['referral.birthDate', file.birth_date],
    ['referral.reference', file.referral?.reference],
    ['referral.referredOn', file.referral?.referred_on],
    ['file.reasons', (file.ineligibility_reasons || []).join(', ')],
    ['file.consent', file.commitment_signed_on ? t(file.research_consent ? 'file.yes' : 'file.no') : ''],
  ].filter(([, value]) => value);
  return element('dl', { class: 'file-details' },
    ...rows.flatMap(([key, value]) => [element('dt', {}, t(key)), element('dd', {}, value)]));
}

// A step: a titled form whose submit sends `bodyOf()` and calls `done`.
function stepForm(id, title, controls, submitLabel, send) {
  const alert = element('p', { role: 'alert', class: 'error' });
  const form = element('form', { 'aria-labelledby': `${id}-title`, novalidate: true },
    ...controls, element('button', { type: 'submit' }, submitLabel), alert);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    alert.textContent = '';
    const failure = await send(event.submitter);
    if (failure) alert.textContent = failure;
  });
  return element('section', { class: 'step' }, element('h3', { id: `${id}-title` }, title), form);
}

const checkbox = (id, label) => {
  const input = element('input', { id, type: 'checkbox' });
  return [input, element('label', { for: id, class: 'choice' }, input, ` ${label}`)];
};

function eligibilityStep(file, redraw) {
  const decision = element('select', { id: 'eligibility-decision' },
    element('option', { value: 'eligible' }, t('eligibility.eligible')),
    element('option', { value: 'ineligible' }, t('eligibility.ineligible')));
  const [minor, minorLabel] = checkbox('eligibility-minor', t('eligibility.minor'));
  const [violence, violenceLabel] = checkbox('eligibility-violence', t('eligibility.violence'));
  return stepForm('eligibility', t('eligibility.title'),
    [element('label', { for: 'eligibility-decision' }, t('eligibility.decision')), decision, minorLabel, violenceLabel],
    t('eligibility.submit'), async () => {
      const answer = await api('POST', `/api/v1/participants/${file.id}/eligibility`, {
        decision: decision.value, offence_involved_minor: minor.checked, history_of_violence: violence.checked,
      });
      return answer.status === 200 ? redraw(t('eligibility.saved')) : problemText(answer);
    });
}

function commitmentStep(file, redraw) {
  const fields = new FieldSet('commitment');
  const [ack, ackLabel] = checkbox('commitment-ack', t('commitment.ack'));
  const [consent, consentLabel] = checkbox('commitment-consent', t('commitment.consent'));
  const signedOn = fields.field('signed_on', t('commitment.signedOn'), 'input', { type: 'date' });
  const method = fields.field('method', t('commitment.method'), 'select');
  method[1].append(...['paper', 'electronic', 'in_person'].map((m) => element('option', { value: m }, t(`commitment.${m}`))));
  return stepForm('commitment', t('commitment.title'), [ackLabel, ...signedOn, ...method, consentLabel],
    t('commitment.submit'), async () => {
      fields.clear();
      const answer = await api('POST', `/api/v1/participants/${file.id}/commitment`, {
        acknowledged_responsibility: ack.checked, signed_on: fields.value('signed_on') ?? '',
        method: fields.value('method'), research_consent: consent.checked,
      });
      if (answer.status === 200) return redraw(t('commitment.saved'));
      fields.showErrors(answer.data);
      return problemText(answer);
    });
}

function withdrawStep(file, redraw) {
  const reason = element('textarea', { id: 'withdraw-reason', rows: '2' });
  return stepForm('withdraw', t('withdraw.title'),
    [element('label', { for: 'withdraw-reason' }, t('withdraw.reason')), reason], t('withdraw.submit'), async () => {
      const answer = await api('POST', `/api/v1/participants/${file.id}/withdraw`, { reason: reason.value.trim() });
      return answer.status === 200 ? redraw(t('withdraw.saved')) : problemText(answer);
    });
}

// Completion: the API decides; a 409 names what is unmet, listed here.
function completeStep(file, redraw) {
  const unmet = element('ul', { id: 'complete-unmet' });
  const section = stepForm('complete', t('complete.title'), [], t('complete.submit'), async () => {
    unmet.replaceChildren();
    const answer = await api('POST', `/api/v1/participants/${file.id}/complete`, {});
    if (answer.status === 200 || answer.status === 201) return redraw(t('complete.saved'));
    const missing = Array.isArray(answer.data?.unmet) ? answer.data.unmet : [];
    unmet.replaceChildren(...missing.map((what) => element('li', {}, t(`complete.unmet.${what}`))));
    return missing.length ? t('complete.notYet') : problemText(answer);
  });
  section.querySelector('form').append(unmet);
  return section;
}

function sessionList(sessions) {
  return element('ol', { class: 'proposed' },
    ...sessions.map((s) => element('li', {}, `${dayText(s.start)} ${hourText(s.start)}`)));
}

async function planStep(file, redraw) {
  const practitioners = await allItems('/api/v1/practitioners');
  const who = element('select', { id: 'plan-practitioner' },
    ...(practitioners.items || []).map((p) => element('option', { value: String(p.id) }, p.display_name)));
  const weeks = element('input', { id: 'plan-weeks', type: 'number', min: '1', max: '8', value: '8' });
  const start = element('input', { id: 'plan-start', type: 'date' });
  const proposal = element('div', { id: 'plan-proposal', role: 'status' });
  const book = element('button', { type: 'submit', value: 'book', hidden: true }, t('plan.book'));
  const body = (dryRun) => ({
    practitioner_id: who.value, weeks: Number(weeks.value), start_on: start.value, dry_run: dryRun,
  });
  [who, weeks, start].forEach((control) => control.addEventListener('change', () => {
    book.hidden = true;
    proposal.replaceChildren();
  }));
  const section = stepForm('plan', t('plan.title'), [
    element('label', { for: 'plan-practitioner' }, t('plan.practitioner')), who,
    element('label', { for: 'plan-weeks' }, t('plan.weeks')), weeks,
    element('label', { for: 'plan-start' }, t('plan.start')), start,
  ], t('plan.preview'), async (submitter) => {
    const booking = submitter === book;
    const answer = await api('POST', `/api/v1/participants/${file.id}/plans`, body(!booking));
    if (booking && answer.status === 201) return redraw(t('plan.booked', { n: answer.data.sessions.length }));
    if (!booking && answer.status === 200) {
      proposal.replaceChildren(element('p', {}, t('plan.proposed')), sessionList(answer.data.sessions));
      book.hidden = false;
      return null;
    }
    return problemText(answer);
  });
  section.querySelector('form').append(proposal, book);
  return section;
}

function steps(file, redraw) {
  const list = [];
  if (file.status === 'referred') list.push(eligibilityStep(file, redraw));
  if (file.status === 'eligible') list.push(commitmentStep(file, redraw));
  if (['enrolled', 'in_therapy'].includes(file.status)) list.push(planStep(file, redraw));
  if (['enrolled', 'in_therapy'].includes(file.status)) list.push(completeStep(file, redraw));
  if (['referred', 'eligible', 'enrolled', 'in_therapy'].includes(file.status)) list.push(withdrawStep(file, redraw));
  return Promise.all(list);
}

export async function showParticipantFile(id, signOut, message = '') {
  const answer = await api('GET', `/api/v1/participants/${id}`);
  const back = element('a', { href: '/participants' }, t('file.back'));
  if (answer.status !== 200) {
    show(element('h2', { tabindex: '-1' }, t('file.missing')), element('p', { role: 'alert' }, problemText(answer)), back);
    return;
  }
  const file = answer.data;
  const redraw = async (text) => { await showParticipantFile(id, signOut, text); return null; };
  show(element('div', { class: 'page-head' },
    element('h2', { id: 'page-title', tabindex: '-1' }, t('file.title', { code: file.code })), signOut),
  back, element('p', { role: 'status' }, message), detailList(file), ...(await steps(file, redraw)));
}
