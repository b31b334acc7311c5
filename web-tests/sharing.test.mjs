// The whole sharing flow of issue 14 in a real browser: the person at
// phone width (390 × 844), the admin and the clinician at desktop width.
// Admin invites clinician → clinician sets up the second factor (TOTP
// computed here from the secret the setup page shows) → clinician
// invites person → person signs up and checks in → person shares
// check-ins and questionnaires → clinician sees them and not the journal
// → the person page has the insight cards and the calendar, and no word
// of the safety plan → person writes a safety plan and shares it with one
// journal entry → clinician sees both → person
// stops sharing → clinician is refused → the person's "who saw what"
// lists each look. The readers' pages fit 390 px too and pass axe.
//
// It starts its own server (web-tests/server-lib.mjs) on the database
// scripts/test.sh starts; without one it is skipped.
//
// Run: eval "$(scripts/pg.sh start)"; cargo build -p feltsense; cd web-tests && node --test sharing.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, AXE_PATH, describeViolations } from './lib.mjs';
import {
  missingDatabase, startServers, freshEmail, completeLink, invite, marker,
} from './server-lib.mjs';

const TIMEOUT = 300_000;
// bypassCSP lets axe's script in; the server's own CSP is checked by the Rust tests.
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, bypassCSP: true };
const DESKTOP = { viewport: { width: 1280, height: 900 }, bypassCSP: true };
const missing = missingDatabase();

let servers;
let browser;

before(async () => {
  if (missing) return;
  [servers, browser] = await Promise.all([startServers({ count: 1 }), launchBrowser()]);
});

after(async () => {
  await browser?.close();
  await servers?.stop();
});

/** Serious or critical axe problems on the page, as one string ('' when none). */
async function axeProblems(page) {
  await page.addScriptTag({ path: AXE_PATH });
  const results = await page.evaluate(() => window.axe.run());
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  return bad.length ? `${page.url()}:\n${describeViolations(bad)}` : '';
}

/** Clicks `locator` and waits for the page it leads to; its response. */
async function follow(page, locator) {
  const [res] = await Promise.all([page.waitForNavigation(), locator.click()]);
  return res;
}

/** The text of the page's main part. */
function mainText(page) {
  return page.locator('main').innerText();
}

/** Area, word, Save: the three taps after opening the check-in. */
async function checkIn(page, origin) {
  await page.goto(`${origin}/checkin`);
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: /^Pleasant, calm/ }).click()]);
  await page.getByLabel('content', { exact: true }).click();
  await Promise.all([page.waitForURL(/\/recent\?thanks=saved/), page.getByRole('button', { name: 'Save check-in' }).click()]);
}

async function writeEntry(page, origin, text) {
  await page.goto(`${origin}/journal`);
  await page.fill('#text', text);
  await follow(page, page.getByRole('button', { name: 'Save entry' }));
}

/** The person's share with the clinician named `name`: check-ins and questionnaires. */
async function shareWith(page, origin, name) {
  await page.goto(`${origin}/sharing/new`);
  await page.selectOption('#clinician-choice', { label: name });
  await page.locator('input[name=scope][value=checkins]').check();
  await page.locator('input[name=scope][value=questionnaires]').check();
  await page.fill('#purpose', 'our weekly sessions');
  const res = await follow(page, page.getByRole('button', { name: 'Share', exact: true }));
  assert.ok(res.status() < 400, await mainText(page));
  assert.match(await mainText(page), /Saved:/);
}

/** Writes the safety plan's first step. */
async function writePlan(page, origin, words) {
  await page.goto(`${origin}/safety-plan`);
  await page.fill('#warning_signs', words);
  await follow(page, page.getByRole('button', { name: 'Save the plan' }));
}

/** Adds the safety plan and the journal ("entries I choose") to the grant, then ticks the one entry. */
async function shareOneEntry(page, origin) {
  await page.goto(`${origin}/sharing`);
  await follow(page, page.getByRole('link', { name: 'Change' }));
  await page.locator('input[name=scope][value="safety plan"]').check();
  await page.locator('input[name=journal][value=chosen]').check();
  await follow(page, page.getByRole('button', { name: 'Keep these changes' }));
  await page.goto(`${origin}/sharing`);
  await follow(page, page.getByRole('link', { name: 'Choose journal entries' }));
  await page.locator('input[name=share]').first().check();
  await follow(page, page.getByRole('button', { name: 'Save what is ticked' }));
}

async function stopSharing(page, origin) {
  await page.goto(`${origin}/sharing`);
  await follow(page, page.getByRole('button', { name: 'Stop sharing…' }));
  await follow(page, page.getByRole('button', { name: /^Yes, stop sharing with/ }));
  assert.match(await mainText(page), /You stopped sharing with/);
}

test('admin → clinician → person shares → clinician sees only that → revoked → every look listed', { skip: missing ?? false, timeout: TIMEOUT }, async () => {
  const { origin } = servers.instances[0];
  const problems = [];
  const admin = await servers.createAdmin();
  const adminContext = await browser.newContext(DESKTOP);
  const adminPage = await adminContext.newPage();
  await completeLink(adminPage, admin.link, { secondFactor: true });
  const clinicianEmail = freshEmail('clinician');
  const clinicianLink = await invite(adminPage, origin, clinicianEmail, 'clinician');
  await adminContext.close();

  const clinicianName = `Dr Ash ${marker()}`;
  const clinicianContext = await browser.newContext(DESKTOP);
  const clinician = await clinicianContext.newPage();
  const secret = await completeLink(clinician, clinicianLink, { secondFactor: true, name: clinicianName });
  assert.match(secret, /^[A-Z2-7]+=*$/, 'the setup page showed a base-32 secret');
  const personEmail = freshEmail('person');
  const personLink = await invite(clinician, origin, personEmail, 'person');

  const personName = `Sam ${marker()}`;
  const personContext = await browser.newContext(PHONE);
  const person = await personContext.newPage();
  await completeLink(person, personLink, { name: personName });
  await checkIn(person, origin);
  const secretWords = `only for me ${marker()}`;
  await writeEntry(person, origin, secretWords);
  await shareWith(person, origin, clinicianName);

  await clinician.goto(`${origin}/clinician`);
  const caseload = await mainText(clinician);
  assert.match(caseload, new RegExp(personName));
  assert.match(caseload, /Last checked in on/);
  assert.match(caseload, /does not alert anyone/);
  assert.ok(!caseload.includes(secretWords), 'the caseload shows no journal');
  problems.push(await axeProblems(clinician));
  const res = await follow(clinician, clinician.getByRole('link', { name: personName }));
  assert.equal(res.status(), 200);
  const shared = await clinician.locator('body').innerText();
  assert.match(shared, /shared data — read-only/);
  assert.match(shared, /Feelings: content/);
  assert.match(shared, /Not shared with you: bridges and practices, safety plan, journal entries/);
  assert.ok(!shared.includes(secretWords), 'the journal is not shared yet');
  const insights = await clinician.locator('#insights').innerText();
  assert.match(insights, /Is colour coming back\?/);
  assert.match(insights, /Numbness profile/);
  assert.match(insights, /screening, not diagnosis/);
  assert.ok(await clinician.locator('#insights svg').count() > 0, 'the cards have their charts');
  const month = new Date().toLocaleString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const calendar = await clinician.locator('#calendar').innerText();
  assert.match(calendar, new RegExp(month), 'this month in the calendar');
  assert.match(calendar, /Everything shared with you/);
  assert.equal(await clinician.locator('#safety-plan').count(), 0, 'no safety plan section');
  assert.equal(await clinician.locator('form').count(), 0, 'nothing on it can be written');
  problems.push(await axeProblems(clinician));
  const personPage = clinician.url();

  // The readers' pages at phone width too.
  const narrowContext = await browser.newContext({ ...PHONE, storageState: await clinicianContext.storageState() });
  const narrow = await narrowContext.newPage();
  for (const path of ['/clinician', new URL(personPage).pathname]) {
    await narrow.goto(`${origin}${path}`);
    const wide = await narrow.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (wide > 0) problems.push(`${path} is ${wide} px wider than a 390 px screen`);
  }
  await narrowContext.close();

  const planWords = `when I stop answering ${marker()}`;
  await writePlan(person, origin, planWords);
  await clinician.goto(personPage);
  assert.ok(!(await clinician.locator('body').innerText()).includes(planWords), 'the plan is not shared yet');
  await shareOneEntry(person, origin);
  await clinician.goto(personPage);
  assert.match(await clinician.locator('body').innerText(), new RegExp(secretWords), 'the one entry shared is shown');
  const plan = await clinician.locator('#safety-plan').innerText();
  assert.match(plan, new RegExp(planWords), 'the plan, in their words, once shared');
  assert.match(plan, /My warning signs/);

  await stopSharing(person, origin);
  const refused = await clinician.goto(personPage);
  assert.equal(refused.status(), 403);
  const refusal = await mainText(clinician);
  assert.match(refusal, /no longer/);
  assert.ok(!refusal.includes(secretWords));

  await person.goto(`${origin}/sharing/looks`);
  const looks = await person.locator('.looks li').allInnerTexts();
  const by = (what) => looks.filter((l) => l.includes(clinicianName) && l.includes(what));
  // Each look once: the caseload and the person page at desktop width and
  // again at phone width, the page before the plan was shared, the page
  // with the entry and the plan, the refused one.
  assert.equal(by('saw your summary').length, 2, looks.join('\n'));
  assert.equal(by('saw your check-ins, calendar and insights').length, 4, looks.join('\n'));
  assert.equal(by('saw your questionnaires').length, 4, looks.join('\n'));
  assert.equal(by('saw your shared journal entries').length, 1, looks.join('\n'));
  assert.equal(by('saw your safety plan').length, 1, looks.join('\n'));
  assert.equal(by('tried to open your shared data').length, 1, looks.join('\n'));
  assert.equal(looks.length, 13, looks.join('\n'));
  const wide = await person.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (wide > 0) problems.push(`/sharing/looks is ${wide} px wider than the screen`);
  await personContext.close();
  await clinicianContext.close();
  assert.deepEqual(problems.filter(Boolean), [], problems.join('\n'));
});
