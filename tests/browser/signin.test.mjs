// Sign-in and sign-out in a real browser (issue 13 point 9, first journey):
// keyboard alone, French whatever the browser's language, the session
// cookie's rules, a Content-Security-Policy, no console error, no sideways
// scroll at 360 px, labelled controls in the accessibility tree.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launch, openPage, scrollsSideways, signInWithKeyboard as signInByKeyboard } from './browser.mjs';
import { Daemon, PASSWORD, adminToken } from './daemon.mjs';

let daemon;
let browser;
const email = 'admin@example.org';

before(async () => {
  daemon = await new Daemon().start();
  await adminToken(daemon, email);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await daemon?.stop();
});

async function signInWithKeyboard(page) {
  await signInByKeyboard(page, daemon.base + '/', email, PASSWORD);
}

test('a person signs in and out with the keyboard alone, in French whatever the browser says', async () => {
  const page = await openPage(browser);
  const first = await page.goto(daemon.base + '/');
  assert.equal(first.status(), 200);
  const csp = first.headers()['content-security-policy'] || '';
  assert.match(csp, /script-src 'self'/, csp);
  assert.doesNotMatch(csp, /unsafe-inline/, csp);
  assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
  await signInWithKeyboard(page);
  await page.getByRole('button', { name: /Se déconnecter/ }).waitFor();
  const cookies = await page.context().cookies();
  assert.ok(cookies.length >= 1, 'a session cookie is set');
  for (const cookie of cookies) {
    assert.equal(cookie.httpOnly, true, `${cookie.name} is HttpOnly`);
    assert.equal(cookie.sameSite, 'Strict', `${cookie.name} is SameSite=Strict`);
  }
  await page.getByRole('button', { name: /Se déconnecter/ }).focus();
  await page.keyboard.press('Enter');
  await page.getByLabel('Courriel').waitFor();
  assert.deepEqual(page.problems, [], 'no console error');
  await page.context().close();
});

test('the sign-in form is labelled for assistive technology', async () => {
  const page = await openPage(browser);
  await page.goto(daemon.base + '/');
  await page.getByLabel('Courriel').waitFor();
  const tree = await page.locator('body').ariaSnapshot();
  assert.match(tree, /textbox "Courriel"/, tree);
  assert.match(tree, /textbox "Mot de passe"/, tree);
  assert.match(tree, /button "Se connecter"/, tree);
  await page.context().close();
});

test('at 360 px nothing scrolls sideways, signed out or in', async () => {
  const page = await openPage(browser, { width: 360, height: 740 });
  await page.goto(daemon.base + '/');
  await page.getByLabel('Courriel').waitFor();
  assert.equal(await scrollsSideways(page), false, 'sign-in page');
  await signInWithKeyboard(page);
  await page.getByRole('button', { name: /Se déconnecter/ }).waitFor();
  assert.equal(await scrollsSideways(page), false, 'home page');
  assert.deepEqual(page.problems, [], 'no console error');
  await page.context().close();
});

test('a wrong password says so and signs nobody in', async () => {
  const page = await openPage(browser);
  await page.goto(daemon.base + '/');
  await page.getByLabel('Courriel').fill(email);
  await page.getByLabel('Mot de passe').fill('not the password');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('status').filter({ hasText: 'Courriel ou mot de passe incorrect' }).waitFor();
  assert.equal((await page.context().cookies()).length, 0, 'no session cookie');
  await page.context().close();
});

test('the vendored FullCalendar draws a week under the pages\' Content-Security-Policy', async () => {
  const page = await openPage(browser);
  await page.goto(daemon.base + '/');
  await page.addScriptTag({ url: '/assets/vendor/fullcalendar/fullcalendar.min.js' });
  await page.addScriptTag({ url: '/assets/vendor/fullcalendar/fr-ca.min.js' });
  const drawn = await page.evaluate(() => {
    const host = document.createElement('div');
    document.body.append(host);
    const calendar = new window.FullCalendar.Calendar(host, { initialView: 'timeGridWeek', locale: 'fr' });
    calendar.render();
    return { display: getComputedStyle(host).display, today: host.querySelector('.fc-today-button')?.textContent };
  });
  assert.equal(drawn.display, 'flex', 'its styles apply (the policy lets it fill its own empty <style>)');
  assert.equal(drawn.today, "Aujourd'hui");
  assert.deepEqual(page.problems, [], 'no console error (no policy violation)');
  await page.context().close();
});
