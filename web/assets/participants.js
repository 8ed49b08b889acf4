// The coordinator's list of participants (/participants, and / for a
// coordinator): code, status and names as GET /api/v1/participants gives
// them to a coordinator, a search, and the "new referral" form
// (POST /api/v1/participants). The API has no search parameter, so the
// search filters the fetched files (up to 10 pages) in the browser, by code
// or by name.

import { allItems, api, problemText } from './api.js';
import { element, show } from './dom.js';
import { FieldSet } from './form-fields.js';
import { t } from './i18n.js';

function matches(file, query) {
  if (!query) return true;
  const q = query.toLocaleLowerCase('fr');
  return [file.code, file.given_name, file.family_name].some((text) => (text || '').toLocaleLowerCase('fr').includes(q));
}

function fileRow(file) {
  const name = [file.given_name, file.family_name].filter(Boolean).join(' ');
  return element('tr', {},
    element('td', {}, element('a', { href: `/participants/${file.id}` }, file.code)),
    element('td', {}, name),
    element('td', {}, t(`participant.status.${file.status}`)));
}

function fileTable(files, query) {
  const shown = files.filter((file) => matches(file, query));
  if (shown.length === 0) return element('p', {}, t('participants.none'));
  return element('div', { class: 'table-scroll' }, element('table', {},
    element('caption', {}, t('participants.count', { n: shown.length })),
    element('thead', {}, element('tr', {},
      element('th', { scope: 'col' }, t('participants.code')),
      element('th', { scope: 'col' }, t('participants.name')),
      element('th', { scope: 'col' }, t('participants.status')))),
    element('tbody', {}, ...shown.map(fileRow))));
}

function referralBody(fields) {
  const referral = {
    source: fields.value('referral.source'),
    reference: fields.value('referral.reference'),
    referred_on: fields.value('referral.referred_on'),
    offence_on: fields.value('referral.offence_on'),
  };
  return {
    given_name: fields.value('given_name') ?? '',
    family_name: fields.value('family_name') ?? '',
    birth_date: fields.value('birth_date') ?? '',
    email: fields.value('email'),
    phone: fields.value('phone'),
    address: fields.value('address'),
    language: fields.value('language'),
    referral: { ...referral, reference: referral.reference ?? '', referred_on: referral.referred_on ?? '' },
  };
}

function referralForm(onCreated) {
  const fields = new FieldSet('referral');
  const language = fields.field('language', t('referral.language'), 'select');
  language[1].append(element('option', { value: 'fr' }, 'français'), element('option', { value: 'en' }, 'anglais'));
  const alert = element('p', { role: 'alert', class: 'error' });
  const form = element('form', { 'aria-labelledby': 'referral-title', novalidate: true },
    ...fields.field('given_name', t('referral.givenName'), 'input', { autocomplete: 'off', 'aria-required': 'true' }),
    ...fields.field('family_name', t('referral.familyName'), 'input', { autocomplete: 'off', 'aria-required': 'true' }),
    ...fields.field('birth_date', t('referral.birthDate'), 'input', { type: 'date', 'aria-required': 'true' }),
    ...language,
    ...fields.field('email', t('referral.email'), 'input', { type: 'email', autocomplete: 'off' }),
    ...fields.field('phone', t('referral.phone'), 'input', { type: 'tel', autocomplete: 'off' }),
    ...fields.field('address', t('referral.address'), 'textarea', { rows: '2' }),
    ...fields.field('referral.reference', t('referral.reference'), 'input', { 'aria-required': 'true' }),
    ...fields.field('referral.referred_on', t('referral.referredOn'), 'input', { type: 'date', 'aria-required': 'true' }),
    ...fields.field('referral.source', t('referral.source')),
    ...fields.field('referral.offence_on', t('referral.offenceOn'), 'input', { type: 'date' }),
    element('button', { type: 'submit' }, t('referral.submit')),
    alert);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    fields.clear();
    alert.textContent = '';
    const answer = await api('POST', '/api/v1/participants', referralBody(fields));
    if (answer.status === 201) {
      onCreated(answer.data);
      return;
    }
    const unplaced = fields.showErrors(answer.data);
    if (unplaced.length || !answer.data?.errors?.length) alert.textContent = problemText(answer);
  });
  return element('section', { class: 'referral' },
    element('h3', { id: 'referral-title' }, t('referral.title')), form);
}

export async function showParticipants(user, signOut) {
  const heading = element('h2', { id: 'page-title', tabindex: '-1' }, t('participants.title'));
  const status = element('p', { role: 'status' });
  const listHost = element('div', { id: 'participant-list' });
  const search = element('input', { id: 'participant-search', type: 'search', autocomplete: 'off' });
  let files = [];
  const redraw = () => listHost.replaceChildren(fileTable(files, search.value.trim()));
  const load = async () => {
    const answer = await allItems('/api/v1/participants?limit=200');
    if (answer.status !== 200) {
      status.textContent = t('participants.loadFailed', { detail: problemText(answer) });
      return;
    }
    files = answer.items;
    redraw();
  };
  search.addEventListener('input', redraw);
  const searchForm = element('form', { role: 'search', class: 'search' },
    element('label', { for: 'participant-search' }, t('participants.search')), search,
    element('p', { class: 'hint' }, t('participants.searchHint')));
  searchForm.addEventListener('submit', (event) => { event.preventDefault(); redraw(); });
  const created = async (file) => {
    status.textContent = t('referral.created', { code: file.code });
    await load();
  };
  show(element('div', { class: 'page-head' }, heading, signOut),
    element('p', {}, t('home.hello', { name: user.display_name || user.email })),
    status, searchForm, listHost, referralForm(created));
  await load();
}
