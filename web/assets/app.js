// The page shell's script: asks who is signed in (GET /api/v1/auth/session),
// then shows the page the address asks for. A client of the JSON API only
// (docs/api.md "Pages"); no inline script, no other host, no build step.
// Routes: a signed-in practitioner on / or /week gets their week
// (week.js); a signed-in participant on / or /me gets their own page
// (me.js); a coordinator on / or /participants the list of files
// (participants.js), on /participants/{id} one file (participant-file.js);
// every other role keeps the plain home for now.

import { api, setCsrfToken } from './api.js';
import { t } from './i18n.js';
import { home, signInForm, signOutButton } from './signin.js';

const WEEK_PATHS = new Set(['/', '/week']);
const ME_PATHS = new Set(['/', '/me']);

const COORDINATOR_LIST_PATHS = new Set(['/', '/participants']);

// The coordinator's pages: the list (/ or /participants) and a file
// (/participants/{id}). False for another address.
async function showCoordinatorPage(user, signOut) {
  const file = /^\/participants\/(\d+)$/.exec(location.pathname);
  if (file) {
    const { showParticipantFile } = await import('./participant-file.js');
    await showParticipantFile(file[1], signOut);
    return true;
  }
  if (!COORDINATOR_LIST_PATHS.has(location.pathname)) return false;
  const { showParticipants } = await import('./participants.js');
  await showParticipants(user, signOut);
  return true;
}

function signedOut(message) {
  document.body.classList.remove('wide');
  signInForm(signedIn, message);
}

async function signedIn({ user, password_change_required: mustChange }) {
  const signOut = signOutButton(() => signedOut(t('signout.done')));
  if (user.role === 'practitioner' && !mustChange && WEEK_PATHS.has(location.pathname)) {
    const { showWeek } = await import('./week.js');
    await showWeek(user, signOut);
    return;
  }
  if (user.role === 'participant' && !mustChange && ME_PATHS.has(location.pathname)) {
    const { showMe } = await import('./me.js');
    await showMe(user, signOut);
    return;
  }
  if (user.role === 'coordinator' && !mustChange && await showCoordinatorPage(user, signOut)) return;
  home(user, mustChange, signOut);
}

async function start() {
  const { status, data } = await api('GET', '/api/v1/auth/session');
  if (status === 200 && data.csrf_token) {
    setCsrfToken(data.csrf_token);
    signedIn(data);
  } else {
    signedOut();
  }
}

start();
