// The check-in of issue 12 in the browser, at a phone's and a laptop's
// size, with JavaScript on and off: the first screen shows the four areas,
// "I can't feel much right now" and Save without scrolling; a check-in
// takes three taps after opening (area, word, Save) and keeps the word's
// intensity unknown; a questionnaire with one answer missing keeps the rest.
//
//   cargo build -p feltsense && cd web-tests && node --test checkin.test.mjs

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startApp, launchBrowser, newContext, ensureScreenshotDir, describeViolations, AXE_PATH } from './lib.mjs';

const TIMEOUT = 120_000;
const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'laptop', width: 1280, height: 900 },
];
const AREAS = ['Pleasant, lots of energy', 'Pleasant, calm', 'Unpleasant, calm / low', 'Unpleasant, lots of energy'];

/** A signed-in page at `size`, JavaScript on or off. */
async function openAt(browser, app, size, javaScriptEnabled, options = {}) {
  const viewport = { width: size.width, height: size.height };
  const context = await newContext(browser, { viewport, javaScriptEnabled, ...options });
  const page = await context.newPage();
  await app.open(page);
  assert.equal(new URL(page.url()).pathname, '/checkin', 'the app opens on the check-in');
  return { context, page };
}

/** Whether the element is wholly inside the first screen. */
async function onFirstScreen(locator, size) {
  const box = await locator.boundingBox();
  return box !== null && box.y >= 0 && box.y + box.height <= size.height && box.x + box.width <= size.width;
}

/** The check-ins as the JSON export has them. */
async function checkins(app) {
  const res = await app.fetch('/export.json');
  assert.equal(res.status, 200);
  return JSON.parse(res.text).checkins;
}

/** Clicks and, when the click submits the form, waits for the page it leads to. */
async function tap(page, locator, { submits }) {
  if (!submits) return locator.click();
  await Promise.all([page.waitForEvent('load'), locator.click()]);
}

describe('the check-in in three taps', () => {
  let app;
  let browser;

  before(async () => {
    [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  for (const size of SIZES) {
    for (const js of [true, false]) {
      const how = `${size.width}×${size.height}, JavaScript ${js ? 'on' : 'off'}`;

      test(`the first screen shows the four areas, "I can't feel much" and Save (${how})`, { timeout: TIMEOUT }, async () => {
        const { context, page } = await openAt(browser, app, size, js);
        assert.equal(await page.evaluate(() => window.scrollY), 0);
        for (const name of AREAS) {
          const area = page.getByRole('button', { name: new RegExp(`^${name}`) });
          assert.ok(await onFirstScreen(area, size), `${name} is on the first screen`);
        }
        assert.ok(await onFirstScreen(page.getByText("I can't feel much right now"), size), '"I can\'t feel much" is on the first screen');
        assert.ok(await onFirstScreen(page.getByRole('button', { name: 'Save check-in' }), size), 'Save is on the first screen');
        const dir = await ensureScreenshotDir();
        await page.screenshot({ path: path.join(dir, `checkin-first-${size.name}-js-${js ? 'on' : 'off'}.png`) });
        await context.close();
      });

      test(`open, area, word, Save: a check-in with no intensity (${how})`, { timeout: TIMEOUT }, async () => {
        const { context, page } = await openAt(browser, app, size, js);
        let taps = 1; // opening the app
        const before = (await checkins(app)).length;
        const area = page.getByRole('button', { name: /^Pleasant, calm/ });
        // Without JavaScript the area is a submit that shows its words.
        await tap(page, area, { submits: true });
        taps += 1;
        const word = page.getByLabel('content', { exact: true });
        assert.equal(await word.count(), 1, 'the area shows its words');
        assert.equal(await page.getByLabel('anxious', { exact: true }).count(), 0, 'not the words of other areas');
        await word.click();
        taps += 1;
        const strength = page.locator('input[name="int_content"]');
        assert.ok(await strength.isVisible(), 'how strong is asked for the chosen word');
        assert.equal(await strength.inputValue(), '', 'and never prefilled');
        const save = page.getByRole('button', { name: 'Save check-in' });
        assert.ok(await onFirstScreen(save, size), 'Save is reachable without scrolling after choosing a word');
        const dir = await ensureScreenshotDir();
        await page.screenshot({ path: path.join(dir, `checkin-word-${size.name}-js-${js ? 'on' : 'off'}.png`) });
        await Promise.all([page.waitForURL(/\/recent\?thanks=saved/), save.click()]);
        taps += 1;
        assert.equal(taps, 4, 'open, area, word, Save');
        const all = await checkins(app);
        assert.equal(all.length, before + 1);
        const saved = all[all.length - 1]; // the export lists the oldest first
        const content = saved.feelings.find((f) => f.word === 'content');
        assert.ok(content, JSON.stringify(saved));
        assert.equal(content.intensity ?? null, null, 'no intensity was given, so none is stored');
        assert.equal(saved.pleasantness, 3);
        assert.equal(saved.energy, -3);
        await context.close();
      });
    }
  }

  test('"I can\'t feel much right now" and Save: two taps, thanked', { timeout: TIMEOUT }, async () => {
    const { context, page } = await openAt(browser, app, SIZES[0], false);
    await page.getByText("I can't feel much right now").click();
    await Promise.all([page.waitForURL(/thanks=nothing/), page.getByRole('button', { name: 'Save check-in' }).click()]);
    assert.match(await page.locator('.thanks').textContent(), /Thank you/);
    await context.close();
  });

  for (const colorScheme of ['light', 'dark']) {
    test(`an area chosen, every part open, a word ticked: no serious or critical axe problem (${colorScheme})`, { timeout: TIMEOUT }, async () => {
      // axe is injected as a script, so this context alone lifts the CSP.
      const { context, page } = await openAt(browser, app, SIZES[0], true, { bypassCSP: true, colorScheme });
      await tap(page, page.getByRole('button', { name: /^Unpleasant, lots of energy/ }), { submits: true });
      await page.locator('#w-anxious').check();
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
      await page.addScriptTag({ path: AXE_PATH });
      const results = await page.evaluate(() => window.axe.run());
      const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      assert.equal(bad.length, 0, describeViolations(bad));
      await context.close();
    });
  }

  for (const js of [true, false]) {
    test(`the body map opens only the region tapped (JavaScript ${js ? 'on' : 'off'})`, { timeout: TIMEOUT }, async () => {
      const { context, page } = await openAt(browser, app, SIZES[0], js);
      await page.getByText('Anything in the body?').click();
      const open = () => page.locator('details.region[open]').count();
      assert.equal(await page.locator('details.region').count(), 13);
      assert.equal(await open(), 0, 'no region is open at first');
      await page.locator('a.region-link[data-region="chest"]').click();
      await page.waitForFunction(() => document.querySelector('#body-chest')?.closest('details')?.open === true);
      assert.equal(await open(), 1, 'only the chest');
      assert.ok(await page.locator('select[name="body_chest_how"]').isVisible());
      await context.close();
    });
  }

  for (const size of SIZES) {
    test(`a questionnaire with one answer missing keeps the others (${size.width}×${size.height})`, { timeout: TIMEOUT }, async () => {
      const { context, page } = await openAt(browser, app, size, true);
      await page.goto(`${app.origin}/assess/phq9`);
      const skipped = 5;
      for (let q = 1; q <= 9; q++) {
        if (q !== skipped) await page.locator(`input[name="q${q}"][value="1"]`).check();
      }
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.getByRole('button', { name: 'See the result' }).click(),
      ]);
      assert.equal(res.status(), 422);
      await page.waitForLoadState();
      assert.match(await page.locator('.problem').textContent(), /8 of 9 answered/);
      for (let q = 1; q <= 9; q++) {
        const kept = await page.locator(`input[name="q${q}"][value="1"]`).isChecked();
        assert.equal(kept, q !== skipped, `question ${q}`);
      }
      const focused = await page.evaluate(() => document.activeElement?.getAttribute('name'));
      assert.equal(focused, `q${skipped}`, 'the unanswered question has the focus');
      assert.ok(await onFirstScreen(page.locator(`#q${skipped}`), size), 'and is on screen');
      await context.close();
    });
  }
});
