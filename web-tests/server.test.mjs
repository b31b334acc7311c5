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

/** Resolves once the page's service worker is active and controls it. */
async function workerReady(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
  });
}

/**
 * The phone loses (or finds) its connection: `setOffline`, and every
 * request to `origin` refused as a lost connection would be, since
 * Chromium's offline emulation does not always reach a service worker's
 * own requests (nor Background Sync, which may fire at once).
 */
async function offline(context, origin, off) {
  const cut = (route) => route.abort('internetdisconnected');
  if (off) {
    await context.route(`${origin}/**`, cut);
    await context.setOffline(true);
  } else {
    await context.unrouteAll();
    await context.setOffline(false);
  }
}

/** The caches (by kind) and how many check-ins wait in the queue, as the page sees them. */
function keptOnPhone(page) {
  return page.evaluate(async () => {
    const names = (await caches.keys()).map((n) => n.replace(/-[0-9a-f]{16}$/, ''));
    const queue = await new Promise((resolve, reject) => {
      const open = indexedDB.open('feltsense-offline', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('checkins', { keyPath: 'id' });
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const count = open.result.transaction('checkins').objectStore('checkins').count();
        count.onsuccess = () => { open.result.close(); resolve(count.result); };
      };
    });
    return { caches: names.sort(), queue };
  });
}

/** Polls `check` for up to `ms`. */
async function waitFor(check, what, ms = 20_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`${what}: not within ${ms} ms`);
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

  // On the bus: the area and word chosen, then the signal goes before Save.
  await workerReady(page);
  await page.goto(`${first.origin}/checkin`);
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: /^Pleasant, calm/ }).click()]);
  await page.getByLabel('relaxed', { exact: true }).click();
  const note = `on the bus ${marker()}`;
  await page.locator('summary', { hasText: 'A note, in your own words' }).click();
  await page.fill('#note', note);
  await offline(context, first.origin, true);
  await page.getByRole('button', { name: 'Save check-in' }).click();
  await page.waitForSelector('h1:has-text("Kept on this phone")');
  assert.match(await page.locator('#kept-status').innerText(), /kept here on this phone.*sent by itself/s);
  assert.doesNotMatch(await page.locator('main').innerText(), /watch|notif|clinic|error|fail/i, 'no alarm, no one watching');
  await fitsAndPasses(page, problems);
  assert.equal(await storedCheckins(email), '1', 'nothing reached the server offline');
  // The installed app opens without a connection.
  await page.goto(`${first.origin}/checkin`);
  assert.ok(await page.getByRole('button', { name: 'Save check-in' }).isVisible(), 'the check-in opens offline');
  // An area's words come from the server: offline, the page says so kindly.
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: /^Pleasant, calm/ }).click()]);
  await page.waitForSelector('h1:has-text("Words need the connection")');
  assert.match(await page.locator('#kept-status').innerText(), /save what you chose as it is/);
  await fitsAndPasses(page, problems);
  await page.goto(`${first.origin}/recent`);
  assert.match(await page.locator('h1').innerText(), /needs the connection/, 'no page of data is kept');
  await page.goBack().catch(() => {});
  await offline(context, first.origin, false);
  await waitFor(async () => (await storedCheckins(email)) === '2', 'the kept check-in was sent once the connection was back');
  for (let i = 0; i < 2; i += 1) {
    await page.goto(`${first.origin}/recent`);
    await page.reload();
    assert.equal(await page.locator('main').getByText(note).count(), 1, 'the log shows it exactly once');
  }
  assert.equal(await storedCheckins(email), '2', 'the server holds it once');
  await page.goto(`${first.origin}/calendar`);
  await fitsAndPasses(page, problems);
  await page.goto(`${first.origin}/account/sessions`);
  await fitsAndPasses(page, problems);
  await page.goto(`${first.origin}/settings`);
  await Promise.all([page.waitForURL(/\/login/), page.getByRole('button', { name: 'Sign out' }).click()]);
  assert.deepEqual(await keptOnPhone(page), { caches: ['feltsense-shell'], queue: 0 }, 'signing out leaves no page of theirs and no queue');
  await fitsAndPasses(page, problems);
  await context.close();

  const later = await browser.newContext(PHONE);
  const again = await later.newPage();
  await signIn(again, second.origin, email);
  await again.goto(`${second.origin}/recent`);
  assert.ok(await again.locator('main').getByText('content').count() > 0, 'the second instance shows the same check-in');
  assert.equal(await again.locator('main').getByText(note).count(), 1, 'and the one kept offline, once');
  await later.close();
  assert.deepEqual(problems, [], problems.join('\n'));
});
