// The JSON API as the pages call it: same origin, the HttpOnly session
// cookie (never visible here), and the session's CSRF token kept in memory
// and sent on every write (docs/api.md "Cookie sessions and CSRF").

import { t } from './i18n.js';

let csrfToken = null;

export function setCsrfToken(token) {
  csrfToken = token || null;
}

// One request → { status, data } (data: the parsed JSON, or null).
export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { status: 0, data: { detail: t('error.network') } };
  }
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  return { status: response.status, data };
}

// What to tell a person about a failed answer: the problem's detail, with
// the fields at fault.
export function problemText({ status, data }) {
  if (!data || typeof data !== 'object') return t('error.generic', { status });
  const fields = Array.isArray(data.errors) ? data.errors.map((e) => `${e.field} : ${e.message}`) : [];
  const detail = data.detail || data.title || t('error.generic', { status });
  return fields.length ? `${detail} (${fields.join(' ; ')})` : detail;
}

// Every page of a list (`items`, `next_cursor`), up to `pages` pages.
export async function allItems(path, pages = 10) {
  const items = [];
  let cursor = null;
  for (let i = 0; i < pages; ++i) {
    const separator = path.includes('?') ? '&' : '?';
    const answer = await api('GET', cursor ? `${path}${separator}cursor=${encodeURIComponent(cursor)}` : path);
    if (answer.status !== 200) return { ...answer, items };
    items.push(...answer.data.items);
    cursor = answer.data.next_cursor;
    if (!cursor || answer.data.items.length === 0) break;
  }
  return { status: 200, items };
}
