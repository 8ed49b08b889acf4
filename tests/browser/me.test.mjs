// The participant's own page (issue 13 point 5) in a real browser: keyboard
// sign-in, the next sessions with "séance n de m", the balance in French
// Canadian money, each installment's payment reference exactly as the
// account API gives it, PDF links that download PDFs, 360 px without
// sideways scroll, no console error, and only the participant's own id
// asked for.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';

import { launch, openPage, scrollsSideways, signInWithKeyboard as signInByKeyboard } from './browser.mjs';
import { Clinic, programDate } from './clinic.mjs';
import { Daemon, PASSWORD } from './daemon.mjs';

let daemon;
let browser;
let clinic;
let mine;        // the signed-in participant
let other;       // another participant, with a plan and a payment too
let account;     // mine's account as the API gives it to finance
let email;
let sessions;

const money = (cents) => new Intl.NumberFormat('fr-CA', { style: 'currency', currency: 'CAD' }).format(cents / 100);
const spaces = (text) => text.replace(/[\s\u00a0\u202f]+/g, ' ').trim();

async function expectStatus(answer, status, what) {
  if (answer.status !== status) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

async function pay(finance, participantId, cents) {
  const response = await fetch(`${daemon.base}/api/v1/payments`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${finance}`, 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
    body: JSON.stringify({ participant_id: String(participantId), amount_cents: cents, method: 'interac', received_on: programDate(0) }),
  });
  assert.equal(response.status, 201, await response.text());
}

async function billed(finance, participant) {
  await expectStatus(await clinic.call('POST', `/api/v1/participants/${participant.id}/payment-plan`,
    { installments: 3, first_due_on: programDate(14), frequency: 'monthly' }, finance), 201, 'payment plan');
  await pay(finance, participant.id, 12345);
}

before(async () => {
  daemon = await new Daemon().start();
  clinic = await new Clinic(daemon).open();
  const finance = (await clinic.user('finance')).token;
  mine = await clinic.enrolled();
  other = await clinic.enrolled();
  await billed(finance, mine);
  await billed(finance, other);
  const practitioner = await clinic.practitioner();
  sessions = await clinic.plan(mine.id, practitioner.id, 2, programDate(1));
  await clinic.plan(other.id, practitioner.id, 1, programDate(1));
  email = (await clinic.user('participant', { participant_id: String(mine.id) })).email;
  account = await expectStatus(await clinic.call('GET', `/api/v1/participants/${mine.id}/account`, undefined, finance), 200, 'account');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await daemon?.stop();
});

async function signInWithKeyboard(page, address) {
  await signInByKeyboard(page, address, email, PASSWORD);
  await page.getByRole('heading', { name: 'Mon solde' }).waitFor();
}

// Every API path the page asked for.
function recordRequests(page) {
  const paths = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/api/')) paths.push(url.pathname + url.search);
  });
  return paths;
}

test('a participant signs in with the keyboard and sees their balance, installments with references, sessions', async () => {
  const page = await openPage(browser);
  const asked = recordRequests(page);
  await signInWithKeyboard(page, `${daemon.base}/me`);
  assert.ok(account.balance_cents > 0, JSON.stringify(account));
  assert.equal(spaces(await page.locator('#balance').innerText()), spaces(money(account.balance_cents)));
  assert.match(spaces(await page.locator('#balance').innerText()), /^\d[\d ]*,\d\d \$$/);

  const references = await page.locator('.reference').allInnerTexts();
  const expected = account.installments.filter((i) => i.status !== 'replaced').map((i) => i.reference);
  assert.ok(expected.length >= 1);
  assert.deepEqual(references, expected);
  const text = await page.locator('main').innerText();
  assert.match(text, /virement Interac/);
  assert.match(text, /chèque/);
  const first = account.installments[0];
  const due = new Intl.DateTimeFormat('fr-CA', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' })
    .format(new Date(`${first.due_on}T00:00:00Z`));
  assert.ok(text.includes(due), `${due} in the page`);

  const item = page.locator(`[data-session-id="${sessions[0].id}"]`);
  assert.match(await item.innerText(), /séance 1 de 2/);
  assert.match(await item.innerText(), new RegExp(sessions[0].start.slice(11, 16)));
  assert.match(await page.locator(`[data-session-id="${sessions[1].id}"]`).innerText(), /séance 2 de 2/);

  // Only its own participant id is ever asked for.
  assert.ok(asked.some((p) => p.includes(`/participants/${mine.id}/account`)), asked.join('\n'));
  assert.ok(asked.every((p) => !p.includes(`/participants/${other.id}/`) && !p.includes(`participant_id=${other.id}`)), asked.join('\n'));
  assert.ok(!text.includes(other.code), 'no other participant shown');
  assert.deepEqual(page.problems, [], 'no console error');
  await page.context().close();
});

test('the document and statement links download PDFs, reached with the keyboard', async () => {
  const page = await openPage(browser);
  await signInWithKeyboard(page, `${daemon.base}/`);
  const links = page.locator('a.document');
  assert.ok(await links.count() >= 2, 'the fee invoice and the receipt');
  for (const href of [...await links.evaluateAll((all) => all.map((a) => a.getAttribute('href'))),
                      await page.locator('a.statement').getAttribute('href')]) {
    const start = await page.evaluate(async (path) => {
      const response = await fetch(path, { credentials: 'same-origin' });
      return `${response.status} ${new TextDecoder().decode((await response.arrayBuffer()).slice(0, 4))}`;
    }, href);
    assert.equal(start, '200 %PDF', href);
  }
  await page.locator('#page-title').focus();
  let focused = false;
  for (let i = 0; i < 20 && !focused; ++i) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => document.activeElement?.classList.contains('document'));
  }
  assert.ok(focused, 'Tab reaches a document link');
  const download = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  const file = await download;
  assert.match(file.suggestedFilename(), /\.pdf$/i);
  assert.deepEqual(page.problems, [], 'no console error');
  await page.context().close();
});

test('at 360 px the page does not scroll sideways', async () => {
  const page = await openPage(browser, { width: 360, height: 740 });
  await signInWithKeyboard(page, `${daemon.base}/me`);
  await page.locator('.reference').first().waitFor();
  assert.equal(await scrollsSideways(page), false);
  assert.deepEqual(page.problems, [], 'no console error');
  await page.context().close();
});

test('another participant\'s account is refused to this participant', async () => {
  const page = await openPage(browser);
  await signInWithKeyboard(page, `${daemon.base}/me`);
  const status = await page.evaluate(async (id) => (await fetch(`/api/v1/participants/${id}/account`)).status, other.id);
  assert.ok([403, 404].includes(status), String(status));
  await page.context().close();
});
