// The practitioner's week (issue 13 point 2) in a real browser: keyboard
// sign-in, the week's sessions by participant code, status and "séance n de
// m", attendance once a session has started (the daemon's test clock and the
// browser's clock moved together) and not before, cancellation with a
// required reason, a modal dialog that gives focus back, 360 px without
// sideways scroll, no console error. Prints the time from navigation to the
// sessions being visible (the page-time benchmark reading).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launch, openPage, scrollsSideways, signInWithKeyboard as signInByKeyboard } from './browser.mjs';
import { Clinic, programDate } from './clinic.mjs';
import { Daemon, PASSWORD } from './daemon.mjs';

let daemon;
let browser;
let clinic;
let practitionerEmail;
let practitionerId;
let planned;     // participant A: a three-week plan from tomorrow
let single;      // participant B: a one-week plan from tomorrow

before(async () => {
  daemon = await new Daemon().useTestClock().start();
  clinic = await new Clinic(daemon).open();
  const practitioner = await clinic.practitioner();
  practitionerId = practitioner.id;
  practitionerEmail = (await clinic.user('practitioner', { practitioner_id: practitioner.id })).email;
  const tomorrow = programDate(1);
  const a = await clinic.enrolled();
  const b = await clinic.enrolled();
  planned = { participant: a, sessions: await clinic.plan(a.id, practitioner.id, 3, tomorrow) };
  single = { participant: b, sessions: await clinic.plan(b.id, practitioner.id, 1, tomorrow) };
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await daemon?.stop();
});

const dayOf = (session) => session.start.slice(0, 10);
const weekOf = (session) => `${daemon.base}/week?date=${dayOf(session)}`;
const eventOf = (page, session) => page.locator(`[data-session-id="${session.id}"]`).first();

async function signInWithKeyboard(page, address) {
  await signInByKeyboard(page, address, practitionerEmail, PASSWORD);
}

// Tab until the session's event has the focus, then Enter opens its dialog.
async function openWithKeyboard(page, session) {
  await eventOf(page, session).waitFor();
  await page.locator('#page-title').focus();
  let focused = false;
  for (let i = 0; i < 60 && !focused; ++i) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate((id) => document.activeElement?.dataset?.sessionId === String(id), session.id);
  }
  if (!focused) console.log(await page.evaluate(() => [...document.querySelectorAll('[data-session-id]')].map((e) => e.outerHTML.slice(0, 400)).join('\n')));
  assert.ok(focused, 'Tab reaches the session');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  return dialog;
}

test('a practitioner signs in with the keyboard and sees the week by code, status and "séance n de m"', async () => {
  const page = await openPage(browser);
  const first = planned.sessions[0];
  await signInWithKeyboard(page, weekOf(first));
  await page.getByRole('heading', { name: 'Ma semaine' }).waitFor();
  const label = await eventOf(page, first).getAttribute('aria-label');
  assert.match(label, new RegExp(planned.participant.code), label);
  assert.match(label, /prévue/, label);
  assert.match(label, /séance 1 de 3/, label);
  assert.match(await eventOf(page, first).innerText(), /séance 1 de 3/);

  // The page-time reading: an address typed anew, to the sessions drawn.
  const started = Date.now();
  await page.goto(weekOf(planned.sessions[1]));
  await eventOf(page, planned.sessions[1]).waitFor();
  console.log(`week visible in ${Date.now() - started} ms`);
  assert.match(await eventOf(page, planned.sessions[1]).getAttribute('aria-label'), /séance 2 de 3/);
  assert.deepEqual(page.problems, [], 'no console error');
  await page.context().close();
});

test('attendance is not offered before the session starts, and takes one click once it has', async () => {
  const session = planned.sessions[0];
  const early = await openPage(browser);
  await signInWithKeyboard(early, weekOf(session));
  const dialog = await openWithKeyboard(early, session);
  await dialog.getByText('La présence se note une fois la séance commencée.').waitFor();
  assert.equal(await dialog.getByRole('button', { name: 'Présent·e' }).count(), 0, 'no attendance button before');
  await early.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await early.evaluate(() => document.activeElement?.dataset?.sessionId), String(session.id),
               'focus goes back to the session');
  assert.deepEqual(early.problems, [], 'no console error');
  await early.context().close();

  // The daemon and the browser both live an hour after the session's start.
  const offset = Math.ceil((Date.parse(session.start) - Date.now()) / 1000) + 3600;
  daemon.setClockOffset(offset);
  try {
    const page = await openPage(browser);
    await page.clock.install({ time: Date.now() + offset * 1000 });
    await signInWithKeyboard(page, weekOf(session));
    const later = await openWithKeyboard(page, session);
    await later.getByRole('button', { name: 'Présent·e' }).click();
    await later.getByRole('alert').filter({ hasText: 'Enregistré : présent·e.' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Présent·e', 'focus stays on the choice');
    assert.equal((await clinic.session(session.id, planned.participant.id)).status, 'attended');
    await page.keyboard.press('Escape');
    await page.waitForFunction((id) => document.querySelector(`[data-session-id="${id}"]`)?.getAttribute('aria-label')?.includes('présent·e'),
                                session.id);
    assert.deepEqual(page.problems, [], 'no console error');
    await page.context().close();
  } finally {
    daemon.setClockOffset(0);
  }
});

test('cancelling needs a reason', async () => {
  const session = single.sessions[0];
  const page = await openPage(browser);
  await signInWithKeyboard(page, weekOf(session));
  const dialog = await openWithKeyboard(page, session);
  for (let i = 0; i < 12; ++i) {
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => document.querySelector('dialog')?.contains(document.activeElement)),
              'focus stays in the open dialog');
  }
  await dialog.getByRole('button', { name: 'Annuler la séance' }).click();
  await dialog.getByRole('alert').filter({ hasText: 'Indiquez le motif' }).waitFor();
  assert.equal((await clinic.session(session.id, single.participant.id)).status, 'scheduled', 'nothing sent without a reason');
  await dialog.getByLabel('Motif (obligatoire)').fill('Intervenante malade');
  await dialog.getByRole('button', { name: 'Annuler la séance' }).click();
  await dialog.getByRole('alert').filter({ hasText: 'Enregistré : annulée.' }).waitFor();
  const stored = await clinic.session(session.id, single.participant.id);
  assert.equal(stored.status, 'cancelled');
  assert.equal(stored.cancelled_by, 'practitioner');
  await dialog.getByRole('button', { name: 'Fermer' }).click();
  await page.waitForFunction((id) => document.querySelector(`[data-session-id="${id}"]`)?.getAttribute('aria-label')?.includes('annulée'),
                              session.id);
  assert.deepEqual(page.problems, [], 'no console error');
  await page.context().close();
});

test('at 360 px the week is a list that does not scroll sideways, and its dialog fits', async () => {
  const session = planned.sessions[1];
  const page = await openPage(browser, { width: 360, height: 740 });
  await signInWithKeyboard(page, weekOf(session));
  await eventOf(page, session).waitFor();
  assert.ok(await page.locator('.fc-listWeek-view').count(), 'the list view on a narrow screen');
  assert.equal(await scrollsSideways(page), false, 'the week');
  await openWithKeyboard(page, session);
  assert.equal(await scrollsSideways(page), false, 'the dialog');
  const tree = await page.getByRole('dialog').ariaSnapshot();
  assert.match(tree, /textbox "Motif \(obligatoire\)"/, tree);
  assert.match(tree, /radio "l’intervenant·e/, tree);
  assert.deepEqual(page.problems, [], 'no console error');
  await page.context().close();
});

test('the practitioner makes their iCalendar link and it serves their sessions', async () => {
  const page = await openPage(browser);
  await signInWithKeyboard(page, weekOf(planned.sessions[2]));
  await page.getByRole('button', { name: 'Créer mon lien iCalendar' }).click();
  const field = page.getByLabel(/Lien iCalendar/);
  await field.waitFor();
  const url = new URL(await field.inputValue());
  assert.match(url.pathname, /\/calendar\.ics$/);
  const feed = await daemon.api('GET', url.pathname + url.search);
  assert.equal(feed.status, 200);
  assert.match(String(feed.body), new RegExp(planned.participant.code));
  assert.deepEqual(page.problems, [], 'no console error');
  await page.context().close();
});

test('the practitioner declares time off, and its days have no free slot left', async () => {
  const slotsOn = async (day) => (await clinic.call('GET', `/api/v1/practitioners/${practitionerId}/slots?from=${day}&to=${day}`)).body.items;
  let offset = 40;
  while (offset < 50 && (await slotsOn(programDate(offset))).length === 0) ++offset;   // not a holiday
  const day = programDate(offset);
  const slots = () => slotsOn(day);
  assert.ok((await slots()).length > 0, 'free before');
  const page = await openPage(browser);
  await signInWithKeyboard(page, `${daemon.base}/week`);
  await page.getByRole('button', { name: 'Déclarer le congé' }).click();
  await page.getByRole('alert').filter({ hasText: 'Indiquez les deux dates du congé.' }).waitFor();
  await page.getByLabel('Du (inclus)').fill(day);
  await page.getByLabel('Au (inclus)').fill(day);
  await page.getByLabel('Motif (facultatif)').fill('Formation');
  await page.getByRole('button', { name: 'Déclarer le congé' }).click();
  await page.getByRole('status').filter({ hasText: `Congé enregistré du ${day} au ${day}.` }).waitFor();
  assert.deepEqual(await slots(), [], 'no slot on a day off');
  assert.deepEqual(page.problems, [], 'no console error');
  await page.context().close();
});

test('the practitioner adds a weekly window with the keyboard and saves the availability', async () => {
  const page = await openPage(browser);
  await signInWithKeyboard(page, `${daemon.base}/week`);
  const groups = page.getByRole('group', { name: /^Plage \d+$/ });
  await page.getByRole('group', { name: 'Plage 7' }).waitFor();
  assert.equal(await groups.count(), 7, 'the seven windows the coordinator set');
  await page.getByRole('button', { name: 'Ajouter une plage' }).focus();
  await page.keyboard.press('Enter');
  const added = page.getByRole('group', { name: 'Plage 8' });
  assert.ok(await added.getByLabel('Jour').evaluate((e) => e === document.activeElement), 'focus on the new window');
  await added.getByLabel('Jour').selectOption('sat');
  await added.getByLabel('Début').fill('18:30');
  await added.getByLabel('Fin').fill('20:00');
  await page.getByRole('button', { name: 'Enregistrer les disponibilités' }).click();
  await page.getByRole('status').filter({ hasText: 'Disponibilités enregistrées.' }).waitFor();
  const stored = (await clinic.call('GET', `/api/v1/practitioners/${practitionerId}/availability`)).body.weekly;
  assert.equal(stored.length, 8);
  assert.ok(stored.some((w) => w.weekday === 'sat' && w.start === '18:30' && w.end === '20:00'), JSON.stringify(stored));
  assert.equal(await scrollsSideways(page), false);
  assert.deepEqual(page.problems, [], 'no console error');
  await page.context().close();
});
