// The coordinator's pages (issue 13 point 3) in a real browser: keyboard
// sign-in, a referral made through the form, found by code in the list, its
// file: eligibility, commitment with research consent, a plan's dry-run
// dates then its booking, a completion refused with what is unmet; the API confirms each step. A bad referral shows
// the field's error and creates nothing. 360 px, no console error.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launch, openPage, scrollsSideways, signInWithKeyboard as signInByKeyboard } from './browser.mjs';
import { Clinic, programDate } from './clinic.mjs';
import { Daemon, PASSWORD } from './daemon.mjs';

let daemon;
let browser;
let clinic;
let coordinator;
let practitioner;

before(async () => {
  daemon = await new Daemon().start();
  clinic = await new Clinic(daemon).open();
  coordinator = await clinic.user('coordinator');
  practitioner = await clinic.practitioner();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await daemon?.stop();
});

async function signInWithKeyboard(page, address) {
  await signInByKeyboard(page, address, coordinator.email, PASSWORD);
  await page.getByRole('heading', { name: 'Participant·e·s' }).waitFor();
}

const files = async () => (await clinic.call('GET', '/api/v1/participants?limit=200', undefined, coordinator.token)).body.items;

test('a coordinator refers, finds, decides, commits and books a plan after its dry run', async () => {
  const page = await openPage(browser, { width: 360, height: 740 });
  await signInWithKeyboard(page, daemon.base + '/participants');
  assert.equal(await scrollsSideways(page), false, 'the list at 360 px');

  await page.getByLabel('Prénom').fill('Léa');
  await page.getByLabel('Nom de famille').fill('Tremblay');
  await page.getByLabel('Date de naissance').fill('1985-04-02');
  await page.getByLabel('Référence du renvoi').fill('DPCP-C0001');
  await page.getByLabel('Date du renvoi').fill(programDate(-3));
  await page.getByRole('button', { name: 'Créer le dossier' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('status').filter({ hasText: /Dossier .* créé/ }).waitFor();
  const made = (await files()).find((f) => f.family_name === 'Tremblay');
  assert.ok(made, 'the API has the referral');
  assert.equal(made.status, 'referred');

  await page.getByLabel('Rechercher par code ou par nom').fill(made.code);
  const link = page.getByRole('link', { name: made.code });
  await link.waitFor();
  assert.equal(await page.locator('#participant-list tbody tr').count(), 1, 'the search keeps that file only');
  await link.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: `Dossier ${made.code}` }).waitFor();
  assert.equal(await scrollsSideways(page), false, 'the file at 360 px');

  await page.getByLabel('Décision').selectOption('eligible');
  await page.getByRole('button', { name: 'Enregistrer la décision' }).click();
  await page.getByRole('status').filter({ hasText: 'Décision enregistrée' }).waitFor();
  const decided = await clinic.call('GET', `/api/v1/participants/${made.id}`, undefined, coordinator.token);
  assert.equal(decided.body.status, 'eligible');

  await page.getByLabel('La personne reconnaît sa responsabilité').check();
  await page.getByLabel('Signé le').fill(programDate(0));
  await page.getByLabel('Consent à l’usage de ses données pour la recherche').check();
  await page.getByRole('button', { name: 'Enregistrer l’engagement' }).click();
  await page.getByRole('status').filter({ hasText: 'Engagement enregistré' }).waitFor();
  const committed = await clinic.call('GET', `/api/v1/participants/${made.id}`, undefined, coordinator.token);
  assert.equal(committed.body.status, 'enrolled');
  assert.equal(committed.body.research_consent, true);

  await page.getByLabel('Intervenant·e').selectOption(String(practitioner.id));
  await page.getByLabel('Nombre de semaines (1 à 8)').fill('2');
  await page.getByLabel('À partir du').fill(programDate(1));
  await page.getByRole('button', { name: 'Voir les dates proposées' }).click();
  await page.locator('#plan-proposal li').first().waitFor();
  assert.equal(await page.locator('#plan-proposal li').count(), 2, 'one proposed date a week');
  const before = await clinic.call('GET', `/api/v1/sessions?participant_id=${made.id}`, undefined, coordinator.token);
  assert.equal(before.body.items.length, 0, 'the dry run books nothing');
  await page.getByRole('button', { name: 'Réserver' }).click();
  await page.getByRole('status').filter({ hasText: 'Plan réservé : 2 séance(s)' }).waitFor();
  const booked = await clinic.call('GET', `/api/v1/sessions?participant_id=${made.id}`, undefined, coordinator.token);
  assert.equal(booked.body.items.length, 2, 'the API has the two sessions');
  assert.equal(await scrollsSideways(page), false, 'the file at 360 px after booking');

  await page.getByRole('button', { name: 'Clore le parcours' }).click();
  await page.getByRole('alert').filter({ hasText: 'ne peut pas encore être clos' }).waitFor();
  const unmet = await page.locator('#complete-unmet li').allTextContents();
  assert.ok(unmet.includes('des séances encore prévues'), unmet.join(' / '));
  const still = await clinic.call('GET', `/api/v1/participants/${made.id}`, undefined, coordinator.token);
  assert.notEqual(still.body.status, 'completed', 'the API did not complete the file');
  // Chromium itself logs the expected 409 as a failed load; no script error.
  assert.deepEqual(page.problems.filter((p) => !/status of 409/.test(p)), [], 'no console error');
  await page.context().close();
});

test('a referral without a family name shows the field error and creates nothing', async () => {
  const page = await openPage(browser);
  await signInWithKeyboard(page, daemon.base + '/');
  const count = (await files()).length;
  await page.getByLabel('Prénom').fill('Sans');
  await page.getByLabel('Date de naissance').fill('1985-04-02');
  await page.getByLabel('Référence du renvoi').fill('DPCP-C0002');
  await page.getByLabel('Date du renvoi').fill(programDate(-1));
  await page.getByRole('button', { name: 'Créer le dossier' }).click();
  const error = page.locator('#referral-family_name-error');
  await error.filter({ hasText: /./ }).waitFor();
  assert.equal(await error.getAttribute('role'), 'alert');
  assert.equal(await page.getByLabel('Nom de famille').getAttribute('aria-invalid'), 'true');
  assert.equal((await files()).length, count, 'nothing created');
  const tree = await page.locator('main').ariaSnapshot();
  assert.match(tree, /textbox "Nom de famille"/, tree);
  assert.deepEqual(page.problems.filter((p) => !/status of 422/.test(p)), [], 'no script error');
  await page.context().close();
});
