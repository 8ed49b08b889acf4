// Debian's Chromium driven by playwright-core (never a downloaded browser),
// with every console error and page error collected for the test to check.
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.PARCOURS_CHROMIUM || '/usr/bin/chromium';

export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

// A page (in a fresh context: its own cookies) that records console errors.
export async function openPage(browser, { width = 1280, height = 800 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'en-CA' });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (message) => { if (message.type() === 'error') page.problems.push(message.text()); });
  page.on('pageerror', (error) => page.problems.push(String(error)));
  return page;
}

// True when the page scrolls sideways (content wider than the viewport).
export async function scrollsSideways(page) {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}

// Signs in on `address` with the keyboard alone: Tab to the e-mail field,
// type, Tab to the password, type, Enter.
export async function signInWithKeyboard(page, address, email, password) {
  await page.goto(address);
  await page.getByLabel('Courriel').waitFor();
  for (let i = 0; i < 10 && !(await page.getByLabel('Courriel').evaluate((e) => e === document.activeElement)); ++i) {
    await page.keyboard.press('Tab');
  }
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  if (!(await page.getByLabel('Mot de passe').evaluate((e) => e === document.activeElement))) {
    throw new Error('Tab does not go from the e-mail to the password');
  }
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
}
