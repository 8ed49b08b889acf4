// The practitioner's iCalendar link: POST /api/v1/practitioners/{id}/feed-token
// (the practitioner themself may call it) makes a new secret link, shown once
// in a read-only field with a copy button; the old link stops working.

import { api, problemText } from './api.js';
import { element } from './dom.js';
import { t } from './i18n.js';

export function feedLinkSection(practitionerId) {
  const alert = element('p', { role: 'alert', class: 'error' });
  const make = element('button', { type: 'button' }, t('feed.button'));
  const section = element('section', { class: 'feed', 'aria-labelledby': 'feed-title' },
    element('h3', { id: 'feed-title' }, 'iCalendar'), make, alert);
  make.addEventListener('click', async () => {
    alert.textContent = '';
    const answer = await api('POST', `/api/v1/practitioners/${encodeURIComponent(practitionerId)}/feed-token`, {});
    if (answer.status !== 200 && answer.status !== 201) {
      alert.textContent = problemText(answer);
      return;
    }
    const url = new URL(answer.data.url, location.origin).href;
    const field = element('input', { id: 'feed-url', type: 'text', readonly: true, value: url });
    const copy = element('button', { type: 'button' }, t('feed.copy'));
    const done = element('p', { role: 'status' });
    copy.addEventListener('click', async () => {
      field.select();
      try {
        await navigator.clipboard.writeText(url);
        done.textContent = t('feed.copied');
      } catch {
        done.textContent = '';   // the field stays selected: Ctrl+C copies it
      }
    });
    section.replaceChildren(section.firstChild,
      element('label', { for: 'feed-url' }, t('feed.label')), field, copy, done);
    field.focus();
  });
  return section;
}
