// Browser tests for feltsense's local web app, in Debian's headless Chromium.
//
//   cargo build -p feltsense
//   cd web-tests && npm ci && node --test
//
// The binary comes from FELTSENSE_BIN (default: <repo>/target/debug/feltsense).
// Each app under test runs on its own temporary data directory.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat, rm } from 'node:fs/promises';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import http from 'node:http';
import { CHROMIUM, CHROMIUM_ARGS } from './lib.mjs';
import {
  startApp, launchBrowser, newContext, signedInPage, traffic, localDate,
  ensureScreenshotDir, describeViolations, AXE_PATH, PAGES,
} from './lib.mjs';

const TIMEOUT = 120_000;

/** Submits the check-in form and waits for the page it leads to; a refusal fails with its message. */
async function submit(page, name = 'Save check-in') {
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.request().resourceType() === 'document'),
    page.getByRole('button', { name }).click(),
  ]);
  if (res.status() !== 303) {
    await page.waitForLoadState();
    const problem = await page.locator('p.problem').allTextContents();
    throw new Error(`saving gave ${res.status()} instead of a redirect: ${problem.join(' ') || '(no message)'}`);
  }
  await page.waitForURL(/\/recent\?thanks=/);
}

/** Taps one of the check-in's areas; the page comes back with its words. */
async function chooseArea(page, name) {
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: new RegExp(`^${name}`) }).click()]);
}

/** Opens one of the check-in's collapsed parts by its summary, if closed. */
async function openPart(page, summary) {
  const part = page.locator('details', { has: page.locator(':scope > summary', { hasText: summary }) });
  if (!(await part.evaluate((d) => d.open))) await part.locator(':scope > summary').click();
}

/** The date part of a card's <time datetime>, which is the check-in's local time. */
async function cardDate(card) {
  const dt = await card.locator('time').getAttribute('datetime');
  return dt.slice(0, 10);
}

describe('feltsense in the browser', () => {
  let app;
  let browser;

  before(async () => {
    [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  test('a journal entry with crisis language shows the safety panel first, and help is one link away', { timeout: TIMEOUT }, async () => {
    const { context, page } = await signedInPage(browser, app);
    for (const p of ['/checkin', '/insights', '/journal']) {
      await page.goto(app.origin + p);
      assert.equal(await page.getByRole('link', { name: "I'm not safe right now" }).count(), 1, `${p} has the link`);
    }
    await page.goto(app.origin + '/safety-plan');
    await page.fill('#people_to_ask', 'my friend Ana, 0123 456');
    await Promise.all([page.waitForURL(/saved=1/), page.getByRole('button', { name: 'Save the plan' }).click()]);
    await page.goto(app.origin + '/journal');
    await page.fill('#text', 'Really tired. I don’t want to be here anymore.');
    await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: 'Save entry' }).click()]);
    const panel = page.locator('section.panel[role="alert"]');
    await panel.waitFor();
    assert.ok(await panel.isVisible(), 'the panel is shown at once, not behind a click');
    assert.match(await panel.textContent(), /my friend Ana/);
    const order = await page.evaluate(() => {
      const panel = document.querySelector('section.panel');
      const heading = [...document.querySelectorAll('h1')].find((h) => h.textContent.includes('Saved'));
      return panel.compareDocumentPosition(heading) & Node.DOCUMENT_POSITION_FOLLOWING;
    });
    assert.ok(order, 'the panel comes before the rest of the page');
    await page.getByRole('link', { name: "I'm not safe right now" }).click();
    await page.waitForURL(/\/help-now$/);
    assert.match(await page.textContent('section.panel'), /findahelpline\.com/);
    await context.close();
  });

  test('a bridge is started and ended, and a practice steps on by itself or by link', { timeout: TIMEOUT }, async () => {
    const { context, page } = await signedInPage(browser, app);
    await page.goto(app.origin + '/bridges');
    await page.selectOption('#kind', 'nature');
    await page.fill('#label', 'walk by the river');
    await page.fill('#clarity', '2');
    await Promise.all([page.waitForURL(/thanks=started/), page.getByRole('button', { name: 'Start' }).click()]);
    assert.match(await page.textContent('#end-h'), /nature, “walk by the river”/);
    await page.selectOption('#word', 'calm');
    await page.fill('#intensity', '4');
    await page.fill('#clarity', '5');
    await page.check('input[name="body"][value="yes"]');
    await Promise.all([page.waitForURL(/thanks=ended/), page.getByRole('button', { name: 'End the bridge' }).click()]);
    assert.match(await page.textContent('main'), /nothing, clarity 2 → calm 4, clarity 5/);
    assert.match(await page.textContent('table.figures'), /too early to tell/);

    // With JavaScript the step's own timer moves on (a short one: the last grounding step is 25 s,
    // so use the first body-scan step only to see the countdown, then follow the link).
    await page.goto(app.origin + '/practice/grounding?step=1');
    await page.waitForSelector('p.hint >> text=/\\d+ s \\(the next step comes by itself/');
    await Promise.all([page.waitForURL(/step=2$/), page.click('#next')]);
    assert.match(await page.textContent('.step-count'), /Step 2 of 5/);
    await context.close();

    const noJs = await signedInPage(browser, app, { javaScriptEnabled: false });
    await noJs.page.goto(app.origin + '/practice/name-it');
    for (let i = 1; i <= 4; i++) {
      await Promise.all([noJs.page.waitForURL(new RegExp(`step=${i}$`)), noJs.page.click('#next')]);
      assert.match(await noJs.page.textContent('.step-count'), new RegExp(`Step ${i} of 4`));
    }
    await Promise.all([noJs.page.waitForURL(/step=5$/), noJs.page.click('#next')]);
    assert.match(await noJs.page.textContent('main'), /Whatever word you found/);
    await noJs.context.close();
  });

  test('the report prints to PDF with headless Chromium and fetches nothing', { timeout: TIMEOUT }, async () => {
    const { context } = await signedInPage(browser, app);
    const res = await app.fetch('/report');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-disposition'], /feltsense-report\.html/);
    const html = res.text;
    await context.close();
    const dir = await mkdtemp(path.join(tmpdir(), 'feltsense-report-'));
    const file = path.join(dir, 'report.html');
    await writeFile(file, html);

    // Opened as a file, the report asks for nothing else.
    const offline = await browser.newContext();
    const view = await offline.newPage();
    const requested = [];
    view.on('request', (r) => requested.push(r.url()));
    await view.goto('file://' + file);
    assert.deepEqual(requested, ['file://' + file], `the report fetched ${requested.join(', ')}`);
    await offline.close();

    // Chromium's own --print-to-pdf, as a person printing it would get.
    const pdf = path.join(dir, 'report.pdf');
    const run = spawnSync(CHROMIUM, [...CHROMIUM_ARGS.filter((a) => !a.startsWith('--headless')), '--headless=new', '--no-pdf-header-footer', `--print-to-pdf=${pdf}`, 'file://' + file], { timeout: 60_000 });
    assert.equal(run.status, 0, `chromium --print-to-pdf failed: ${run.stderr}`);
    const bytes = await readFile(pdf);
    const pages = (bytes.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) || []).length;
    assert.ok(pages >= 1 && pages <= 12, `the report printed to ${pages} A4 pages`);
    await rm(dir, { recursive: true, force: true });
  });

  test('the pages are locked without the link', { timeout: TIMEOUT }, async () => {
    // 401s are the point here, so this context's console errors are not counted.
    const context = await newContext(browser, {}, { countConsoleErrors: false });
    const page = await context.newPage();
    for (const p of ['/checkin', '/recent', '/settings', '/export.json']) {
      const res = await page.goto(app.origin + p);
      assert.ok(res.status() >= 400, `${p} without the session cookie gave ${res.status()}`);
      assert.equal(await page.locator('#checkin-form, ol.cards').count(), 0, `${p} showed content without the cookie`);
    }
    const wrong = await page.goto(`${app.origin}/?token=${'0'.repeat(64)}`);
    assert.ok(wrong.status() >= 400, `a wrong token gave ${wrong.status()}`);
    assert.equal((await context.cookies()).length, 0, 'a wrong token must not set a cookie');
    await context.close();
  });

  test('another server on this computer never receives what opens feltsense (issue 10, item 2)', { timeout: TIMEOUT }, async () => {
    // A second HTTP server on loopback, as another local user could run, records every request.
    const seen = [];
    const other = http.createServer((req, res) => {
      seen.push({ url: req.url, headers: req.headers });
      if (req.url.startsWith('/favicon')) {
        res.writeHead(200, { 'content-type': 'image/svg+xml' });
        res.end('<svg xmlns="http://www.w3.org/2000/svg"/>');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>another server</title><link rel="icon" href="/favicon.svg"><img src="/favicon.ico" alt="">');
    });
    await new Promise((resolve) => other.listen(0, '127.0.0.1', resolve));
    const port = other.address().port;
    try {
      const { context, page } = await signedInPage(browser, app);
      // A direct visit, by address and by other loopback names, and a favicon.
      for (const base of [`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://someone-else.localhost:${port}`]) {
        await page.goto(`${base}/direct`);
        await page.goto(`${base}/favicon.ico`);
      }
      // A navigation from a feltsense page to it.
      await page.goto(app.origin + '/recent');
      await Promise.all([
        page.waitForURL(/\/from-feltsense$/),
        page.evaluate((to) => { window.location.href = to; }, `http://127.0.0.1:${port}/from-feltsense`),
      ]);
      await page.waitForLoadState('load');
      // feltsense itself still opens in this browser.
      const back = await page.goto(app.origin + '/recent');
      assert.equal(back.status(), 200);
      await context.close();
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
    const urls = seen.map((r) => r.url);
    for (const path of ['/direct', '/favicon.ico', '/from-feltsense']) {
      assert.ok(urls.includes(path), `the second server saw ${path} (it saw ${urls.join(', ')})`);
    }
    const everything = JSON.stringify(seen);
    const session = app.session();
    const linkToken = new URL(app.link).searchParams.get('token');
    assert.ok(session && session.value.length >= 32, 'the browser holds a session cookie');
    assert.notEqual(session.value, linkToken, 'the session is not the link\'s secret');
    assert.ok(!everything.includes(session.value), 'the second server received the session cookie');
    assert.ok(!everything.includes(linkToken), 'the second server received the launch secret');
    assert.ok(!everything.includes('feltsense_session'), 'the second server received a feltsense cookie');
    assert.ok(seen.every((r) => !r.headers.cookie), `the second server received cookies: ${seen.map((r) => r.headers.cookie).filter(Boolean).join('; ')}`);
    assert.ok(!everything.includes(new URL(app.origin).hostname), 'the second server learnt feltsense\'s address');
  });

  test("a newcomer's first check-in through an area, a finer point and the words", { timeout: TIMEOUT }, async () => {
    const { context, page } = await signedInPage(browser, app);
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'feltsense_session');
    assert.ok(session, 'the link sets a session cookie');
    assert.equal(session.httpOnly, true, 'the session cookie is HttpOnly');
    assert.equal(session.sameSite, 'Strict');

    await assert.doesNotReject(page.getByRole('heading', { level: 1, name: 'What is here right now?' }).waitFor());
    assert.equal(await page.locator('input[name="affect"][value*=","]').count(), 0, 'the finer grid waits for an area');
    assert.equal(await page.locator('input[name="feel"]').count(), 0, 'no words before an area');

    await chooseArea(page, 'Unpleasant, calm / low');
    assert.equal(await page.locator('input[name="affect"][value*=","]').count(), 36, "the area's 6 × 6 cells");
    await openPart(page, 'Place it more exactly');
    const cellInput = page.locator('input[name="affect"][value="-2,-3"]');
    assert.equal(await cellInput.getAttribute('aria-label'), 'pleasantness -2, energy -3');
    await page.locator('label.cell', { has: cellInput }).click();
    assert.equal(await cellInput.isChecked(), true, 'clicking the cell chooses it');

    await page.check('#w-tired');
    await page.fill('input[name="int_tired"]', '4');
    await page.check('#w-sad');
    assert.equal(await page.inputValue('input[name="int_sad"]'), '', 'intensity is never prefilled');

    // The search finds any word and keeps what was chosen.
    await page.fill('#word-search', 'lonel');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Find' }).click()]);
    assert.equal(await page.isChecked('#w-tired'), true, 'the chosen words stay');
    assert.equal(await page.inputValue('input[name="int_tired"]'), '4');
    assert.equal(await page.isChecked('input[name="affect"][value="-2,-3"]'), true, 'the point stays');
    assert.ok(await page.locator('#w-lonely').count(), 'the search shows "lonely"');

    await openPart(page, 'How clearly can you feel it?');
    await page.selectOption('#clarity', '3');
    await openPart(page, 'Anything in the body?');
    await page.locator('a.region-link[data-region="chest"]').click();
    assert.equal(await page.evaluate(() => document.activeElement?.name), 'body_chest_how', 'the chest link focuses its first control');
    await page.selectOption('select[name="body_chest_sensation"]', 'tight');

    const note = 'first check-in, a long day';
    await openPart(page, 'A note, in your own words');
    await page.fill('#note', note);
    await submit(page);

    assert.match(page.url(), /\/recent\?thanks=saved$/);
    await assert.doesNotReject(page.locator('p.thanks[role="status"]').waitFor());
    assert.equal((await page.textContent('p.thanks')).trim(), 'Saved. Thank you for checking in.');

    const card = page.locator('li.card', { has: page.locator('p.card-note', { hasText: note }) });
    assert.equal(await card.count(), 1, 'the new check-in is on /recent');
    const feelings = (await card.locator('p.card-feelings').textContent()).trim();
    assert.ok(feelings.includes('tired 4'), `card feelings: ${feelings}`);
    assert.ok(/sad(?! \d)/.test(feelings), `sad without an intensity: ${feelings}`);
    const details = await card.locator('ul.card-details li').allTextContents();
    for (const d of ['pleasant -2', 'energy -3', 'clarity 3']) assert.ok(details.includes(d), `"${d}" in ${details}`);
    assert.ok(details.some((d) => d.startsWith('chest') && d.includes('tight')), `chest tight in ${details}`);

    // Reloading /recent without the thanks parameter does not repeat the thanks.
    await page.goto(app.origin + '/recent');
    assert.equal(await page.locator('p.thanks').count(), 0);
    await context.close();
  });

  test('a "nothing" check-in', { timeout: TIMEOUT }, async () => {
    const { context, page } = await signedInPage(browser, app);
    // Choosing "nothing" after a word clears the word (with JavaScript).
    await chooseArea(page, 'Pleasant, calm');
    await page.check('#w-calm');
    await page.check('#nothing');
    assert.equal(await page.isChecked('#w-calm'), false, '"nothing" clears the chosen words');
    await openPart(page, 'How clearly can you feel it?');
    await page.selectOption('#clarity', '1');
    await openPart(page, 'A note, in your own words');
    await page.fill('#note', 'nothing-test');
    await submit(page);

    assert.match(page.url(), /\/recent\?thanks=nothing$/);
    const thanks = (await page.textContent('p.thanks[role="status"]')).trim();
    assert.ok(thanks.includes('information too'), `thanks: ${thanks}`);
    const card = page.locator('li.card', { has: page.locator('p.card-note', { hasText: 'nothing-test' }) });
    assert.equal(await card.count(), 1);
    assert.equal((await card.locator('p.card-feelings').textContent()).trim(), "I can't feel much right now");
    assert.ok((await card.locator('ul.card-details li').allTextContents()).includes('clarity 1'));
    await context.close();
  });

  test('invalid input is shown again with a message and nothing is saved', { timeout: TIMEOUT }, async () => {
    const { context, page } = await signedInPage(browser, app);
    await chooseArea(page, 'Pleasant, calm');
    await page.check('#w-calm');
    // The browser's own min/max check would stop 11; switch it off to reach the server's.
    await page.evaluate(() => { document.getElementById('checkin-form').noValidate = true; });
    await page.fill('input[name="int_calm"]', '11');
    await openPart(page, 'A note, in your own words');
    await page.fill('#note', 'should-not-be-saved');
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.request().resourceType() === 'document'),
      page.getByRole('button', { name: 'Save check-in' }).click(),
    ]);
    assert.equal(res.status(), 422);
    await page.waitForLoadState();
    const problem = page.locator('p.problem[role="alert"]');
    assert.equal(await problem.count(), 1);
    assert.match(await problem.textContent(), /calm/i);
    assert.equal(await page.isChecked('#w-calm'), true, 'the form keeps what was chosen');
    assert.equal(await page.inputValue('#note'), 'should-not-be-saved', 'the form keeps the note');

    await page.goto(app.origin + '/recent');
    assert.equal(await page.locator('p.card-note', { hasText: 'should-not-be-saved' }).count(), 0);
    await context.close();
  });

  test('the insights page renders its charts', { timeout: TIMEOUT }, async () => {
    const { context, page } = await signedInPage(browser, app);
    for (const days of [7, 28, 90, 365]) {
      const res = await page.goto(`${app.origin}/insights?days=${days}`);
      assert.equal(res.status(), 200, `/insights?days=${days}`);
      assert.equal((await page.textContent('nav.windows a[aria-current="page"]')).trim(), `${days} days`);
    }
    await page.goto(app.origin + '/insights');
    assert.equal(await page.locator('section.profile').isVisible(), true, 'the numbness profile is visible');
    assert.ok((await page.textContent('section.profile .headline')).trim().length > 0, 'the profile has a headline');
    assert.ok(await page.locator('table.figures tbody tr').count() > 0, 'the figures table has rows');
    const charts = page.locator('svg.chart');
    const n = await charts.count();
    assert.ok(n >= 5, `at least 5 charts, found ${n}`);
    for (let i = 0; i < n; i++) {
      const chart = charts.nth(i);
      assert.equal(await chart.getAttribute('role'), 'img', `chart ${i} has role=img`);
      const title = chart.locator(':scope > title');
      assert.equal(await title.count(), 1, `chart ${i} has a <title>`);
      assert.ok((await title.textContent()).trim().length > 0, `chart ${i}'s title is not empty`);
      const box = await chart.boundingBox();
      assert.ok(box && box.width > 50 && box.height > 50, `chart ${i} is drawn at a visible size: ${JSON.stringify(box)}`);
    }
    await context.close();
  });

  test('editing and deleting a check-in', { timeout: TIMEOUT }, async () => {
    const { context, page } = await signedInPage(browser, app);
    await chooseArea(page, 'Pleasant, calm');
    await openPart(page, 'Place it more exactly');
    await page.check('input[name="affect"][value="1,0"]', { force: true });
    await openPart(page, 'A note, in your own words');
    await page.fill('#note', 'before editing');
    await submit(page);
    const card = () => page.locator('li.card', { has: page.locator('p.card-note', { hasText: /^before editing$|^after editing$/ }) });
    assert.equal(await card().count(), 1);

    await Promise.all([page.waitForURL(/\/checkin\/[^/]+\/edit$/), card().getByRole('link', { name: /^Edit/ }).click()]);
    assert.equal((await page.textContent('h1')).trim(), 'Edit this check-in');
    assert.equal(await page.inputValue('#note'), 'before editing', 'the edit form is pre-filled');
    assert.equal(await page.isChecked('input[name="affect"][value="1,0"]'), true, 'the grid choice is pre-filled');
    await page.fill('#note', 'after editing');
    await submit(page, 'Save changes');

    assert.match(page.url(), /\/recent\?thanks=edited$/);
    assert.equal((await page.textContent('p.thanks')).trim(), 'Your changes are saved.');
    assert.equal(await page.locator('p.card-note', { hasText: 'before editing' }).count(), 0, 'the old note is gone');
    assert.equal(await card().count(), 1);
    assert.equal((await card().locator('p.card-note').textContent()).trim(), 'after editing');
    assert.ok((await card().locator('ul.card-details li').allTextContents()).includes('pleasant +1'), 'editing kept the grid value');

    const before = await page.locator('li.card').count();
    // Deleting is for good, so it is confirmed on a page of its own; "Keep it" changes nothing.
    await Promise.all([page.waitForURL(/\/delete$/), card().getByRole('link', { name: /^Delete/ }).click()]);
    assert.match(await page.textContent('h1'), /Delete this check-in for good\?/);
    await Promise.all([page.waitForURL(/\/recent$/), page.getByRole('link', { name: 'Keep it' }).click()]);
    assert.equal(await card().count(), 1, 'keeping it keeps it');
    await Promise.all([page.waitForURL(/\/delete$/), card().getByRole('link', { name: /^Delete/ }).click()]);
    await Promise.all([page.waitForURL(/thanks=deleted/), page.getByRole('button', { name: 'Delete for good' }).click()]);
    assert.equal((await page.textContent('p.thanks[role="status"]')).trim(), 'That check-in is gone for good.');
    assert.equal(await page.locator('p.card-note', { hasText: 'after editing' }).count(), 0, 'the deleted check-in is gone');
    assert.equal(await page.locator('li.card').count(), before - 1);
    await context.close();
  });

  test('a check-in with JavaScript switched off', { timeout: TIMEOUT }, async () => {
    const { context, page } = await signedInPage(browser, app, { javaScriptEnabled: false });
    assert.equal(await page.isVisible('#note'), false, 'the note starts collapsed');
    await chooseArea(page, 'Pleasant, calm');
    await page.check('#w-calm');
    await page.fill('input[name="int_calm"]', '6');
    await openPart(page, 'A note, in your own words');
    await page.fill('#note', 'no-js check-in');
    await submit(page);
    assert.match(page.url(), /\/recent\?thanks=saved$/);
    assert.equal((await page.textContent('p.thanks')).trim(), 'Saved. Thank you for checking in.');
    const card = page.locator('li.card', { has: page.locator('p.card-note', { hasText: 'no-js check-in' }) });
    assert.equal((await card.locator('p.card-feelings').textContent()).trim(), 'calm 6');
    await context.close();
  });

  test('settings offers the exports, and they hold the check-ins', { timeout: TIMEOUT }, async () => {
    const { context, page } = await signedInPage(browser, app);
    await chooseArea(page, 'Pleasant, calm');
    await page.check('#w-calm');
    await openPart(page, 'A note, in your own words');
    await page.fill('#note', 'for the export, with "quotes", commas\nand a second line');
    await submit(page);
    await page.goto(app.origin + '/settings');
    const json = page.locator('a[href="/export.json"]');
    const csv = page.locator('a[href="/export.csv"]');
    assert.equal(await json.count(), 1);
    assert.equal(await csv.count(), 1);
    const [jd] = await Promise.all([page.waitForEvent('download'), json.click()]);
    const data = JSON.parse(await readFile(await jd.path(), 'utf8'));
    // Browsers send a textarea's line breaks as CRLF (HTML spec); compare with LF.
    const lf = (s) => s.replace(/\r\n/g, '\n');
    const expected = 'for the export, with "quotes", commas\nand a second line';
    assert.equal(data.format, 'feltsense');
    assert.ok(data.checkins.some((c) => lf(c.note ?? '') === expected), 'the JSON export has the note exactly');
    assert.ok(data.checkins.some((c) => c.note === 'first check-in, a long day' || c.note === 'nothing-test'),
      'the JSON export has the earlier check-ins too');
    const [cd] = await Promise.all([page.waitForEvent('download'), csv.click()]);
    const csvText = lf(await readFile(await cd.path(), 'utf8'));
    assert.match(csvText.split('\n')[0], /^id,at,nothing,feelings,/, 'the CSV has a header');
    assert.ok(csvText.includes('"for the export, with ""quotes"", commas\nand a second line"'), 'the CSV quotes the note');
    await context.close();
  });

  test('the pages have no serious or critical accessibility problems (axe)', { timeout: TIMEOUT }, async (t) => {
    for (const colorScheme of ['light', 'dark']) {
      await t.test(`${colorScheme} colour scheme`, async () => {
        const { context, page } = await signedInPage(browser, app, { bypassCSP: true, colorScheme });
        const found = [];
        for (const p of PAGES) {
          await page.goto(`${app.origin}/${p}`);
          await page.addScriptTag({ path: AXE_PATH });
          const results = await page.evaluate(() => window.axe.run());
          const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
          if (bad.length) found.push(`/${p} (${colorScheme}):\n${describeViolations(bad)}`);
        }
        await context.close();
        assert.equal(found.length, 0, `axe found serious or critical problems:\n${found.join('\n')}`);
      });
    }
    // The scan above sees only the day colours the data happens to have; this
    // checks every tone × saturation the calendar can give a day, in both schemes.
    for (const colorScheme of ['light', 'dark']) {
      await t.test(`every calendar day colour is readable (${colorScheme})`, async () => {
        const { context, page } = await signedInPage(browser, app, { bypassCSP: true, colorScheme });
        await page.goto(`${app.origin}/calendar`);
        await page.evaluate(() => {
          const tones = ['neg5', 'neg4', 'neg3', 'neg2', 'neg1', '0', 'pos1', 'pos2', 'pos3', 'pos4', 'pos5'];
          const box = document.createElement('div');
          box.id = 'every-day-colour';
          box.className = 'days';
          for (const t of tones) {
            for (let s = 0; s <= 10; s++) {
              const a = document.createElement('a');
              a.className = `day tone-${t} sat-${s}`;
              a.href = '#';
              a.textContent = '28';
              box.appendChild(a);
            }
          }
          document.querySelector('.months').before(box);
        });
        await page.addScriptTag({ path: AXE_PATH });
        const results = await page.evaluate(() =>
          window.axe.run('#every-day-colour', { runOnly: { type: 'rule', values: ['color-contrast'] } }));
        await context.close();
        const bad = results.violations.flatMap((v) => v.nodes).map((n) => {
          const d = n.any[0]?.data ?? {};
          return `${n.target.join(' ')}: ${d.contrastRatio}:1 (${d.fgColor} on ${d.bgColor})`;
        });
        assert.equal(bad.length, 0,
          `${bad.length} of 121 day colours have too little contrast for the day number (${colorScheme}):\n  ${bad.join('\n  ')}`);
      });
    }
  });

  test('screenshots of every page at phone and desktop widths', { timeout: TIMEOUT }, async () => {
    const dir = await ensureScreenshotDir();
    const sizes = {
      phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
      desktop: { viewport: { width: 1280, height: 900 } },
    };
    const overflow = [];
    for (const [name, options] of Object.entries(sizes)) {
      const { context, page } = await signedInPage(browser, app, options);
      for (const p of PAGES) {
        const file = path.join(dir, `${p.replace(/[/?=]/g, '-')}-${name}.png`);
        await rm(file, { force: true });
        await page.goto(`${app.origin}/${p}`);
        await page.screenshot({ path: file, fullPage: true });
        const png = await readFile(file);
        assert.equal(png.subarray(1, 4).toString(), 'PNG', `${file} is a PNG`);
        assert.equal(png.readUInt32BE(16), options.viewport.width, `${file} is ${options.viewport.width} wide`);
        assert.ok((await stat(file)).size > 5000, `${file} is not blank`);
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        if (wide > options.viewport.width) overflow.push(`/${p} at ${name}: page is ${wide}px wide in a ${options.viewport.width}px viewport`);
      }
      await context.close();
    }
    assert.deepEqual(overflow, [], 'no page scrolls sideways');
  });

  test('nothing is requested from anywhere but the app, and every page has a strict CSP', { timeout: TIMEOUT }, async () => {
    // Visit every page once more here, so this test also stands alone.
    const { context, page } = await signedInPage(browser, app);
    for (const p of PAGES) await page.goto(`${app.origin}/${p}`);
    await page.goto(`${app.origin}/day/${localDate()}`);
    await context.close();

    assert.ok(traffic.requests.length > PAGES.length, 'requests were recorded');
    // The second server of the cookie test is the one deliberate exception.
    const ours = (u) => /^http:\/\/([a-z0-9-]+\.)?localhost:\d+\//.test(u) || u.startsWith('http://127.0.0.1:');
    const elsewhere = traffic.requests.filter((u) => !ours(u));
    assert.deepEqual(elsewhere, [], 'requests to anywhere but this computer');
    const appDocs = traffic.documents.filter((d) => d.url.startsWith(app.origin));
    assert.ok(appDocs.length > 0);
    const lax = appDocs.filter((d) => !(d.csp || '').includes("default-src 'none'"));
    assert.deepEqual(lax, [], "documents without \"default-src 'none'\" in their Content-Security-Policy");
    assert.deepEqual(traffic.pageErrors, [], 'JavaScript errors on the pages');
    assert.deepEqual(traffic.consoleErrors, [], 'console errors (including CSP violations)');
  });
});

describe('the year in colour', () => {
  let browser;
  before(async () => { browser = await launchBrowser(); });
  after(async () => { await browser?.close(); });

  test('a check-in shows on the calendar with its colour', { timeout: TIMEOUT }, async () => {
    const app = await startApp();
    try {
      const { context, page } = await signedInPage(browser, app);
      const dayBefore = localDate();
      await chooseArea(page, 'Pleasant, lots of energy');
      await openPart(page, 'Place it more exactly');
      await page.locator('label.cell', { has: page.locator('input[name="affect"][value="3,2"]') }).click();
      await page.check('#w-happy');
      await page.fill('input[name="int_happy"]', '8');
      await submit(page);
      const card = page.locator('li.card').first();
      assert.equal((await card.locator('p.card-feelings').textContent()).trim(), 'happy 8');
      const date = await cardDate(card);
      assert.ok([dayBefore, localDate()].includes(date), `the check-in is dated today (${date})`);

      await page.getByRole('link', { name: 'Year in colour' }).click();
      await page.waitForURL(/\/calendar$/);
      assert.equal(await page.locator('section.month').count(), 1, 'only the current month holds check-ins');
      const day = page.locator(`a.day[href="/day/${date}"]`);
      assert.equal(await day.count(), 1, `a link for ${date}`);
      const classes = (await day.getAttribute('class')).split(/\s+/);
      assert.ok(classes.includes('tone-pos3'), `classes: ${classes}`);
      assert.ok(classes.includes('sat-8'), `classes: ${classes}`);
      assert.match(await day.getAttribute('aria-label'), /1 check-in, pleasant, intensity 8 of 10/);
      assert.equal(await page.locator('a.day:not(.empty)').count(), 1, 'only that day has check-ins');
      // The colour is really applied: a warm-green, saturated background.
      const bg = await day.evaluate((el) => getComputedStyle(el).backgroundColor);
      assert.notEqual(bg, 'rgba(0, 0, 0, 0)', 'the day has a background');
      assert.ok(await page.locator('.legend .swatch').count() >= 5, 'the legend has swatches');

      await Promise.all([page.waitForURL(`**/day/${date}`), day.click()]);
      assert.equal((await page.textContent('li.card p.card-feelings')).trim(), 'happy 8');
      await context.close();
    } finally {
      await app.stop();
    }
  });

  test('a day with only "nothing" is grey and hatched', { timeout: TIMEOUT }, async () => {
    const app = await startApp();
    try {
      const { context, page } = await signedInPage(browser, app);
      await page.check('#nothing');
      await submit(page);
      assert.match(page.url(), /thanks=nothing$/);
      const date = await cardDate(page.locator('li.card').first());
      await page.goto(app.origin + '/calendar');
      const day = page.locator(`a.day[href="/day/${date}"]`);
      assert.equal(await day.count(), 1);
      const classes = (await day.getAttribute('class')).split(/\s+/);
      assert.ok(classes.includes('numb'), `classes: ${classes}`);
      assert.ok(!classes.some((c) => c.startsWith('tone-') || c.startsWith('sat-')), `no colour classes: ${classes}`);
      const bg = await day.evaluate((el) => getComputedStyle(el).backgroundImage);
      assert.match(bg, /repeating-linear-gradient/, 'the numb day is hatched, not only grey');
      await context.close();
    } finally {
      await app.stop();
    }
  });
});
