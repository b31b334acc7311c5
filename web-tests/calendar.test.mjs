// The calendar, insights and practices at a phone's and a laptop's width:
// the current month without scrolling past empty months, days that lead
// to their page, the breathing pacer animating with JavaScript off, a kind
// empty state, and the context card only where there is a real difference.
//
//   cargo build -p feltsense && cd web-tests && node --test calendar.test.mjs

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startApp, launchBrowser, newContext, signedInPage, localDate, BIN } from './lib.mjs';

const TIMEOUT = 180_000;
const WIDTHS = [
  { name: 'phone', viewport: { width: 390, height: 844 } },
  { name: 'laptop', viewport: { width: 1280, height: 900 } },
];

function daysAgo(n, hour = 9) {
  const d = new Date();
  d.setDate(d.getDate() - n);
  d.setHours(hour, 30, 0, 0);
  return d;
}

/** A check-in record as `feltsense export` writes them, at local time `d`. */
function record(i, d, { clarity, feel = 'calm', intensity = 5, nothing = false, context = {} }) {
  const off = -d.getTimezoneOffset();
  const pad = (n) => String(Math.abs(n)).padStart(2, '0');
  const zone = `${off >= 0 ? '+' : '-'}${pad(Math.trunc(off / 60))}:${pad(off % 60)}`;
  const at = `${localDate(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}:00${zone}`;
  return {
    id: `0190a000-0000-7000-8000-${String(i).padStart(12, '0')}`, at, nothing,
    feelings: nothing ? [] : [{ word: feel, intensity }],
    pleasantness: null, energy: null, clarity, body: [], body_overall: null, showed: null, context, note: null,
  };
}

/** Imports `checkins` into a new store before the app starts. */
function fixture(checkins) {
  return async ({ dir, env }) => {
    const file = path.join(dir, 'fixture.json');
    await writeFile(file, JSON.stringify({ format: 'feltsense', version: 2, checkins, journal: [], bridges: [], assessments: [], safety_plan: null }));
    execFileSync(BIN, ['init'], { env, stdio: 'ignore' });
    execFileSync(BIN, ['import', file], { env, stdio: 'ignore' });
  };
}

/** First check-in on the 14th three months ago (September, seen from December), then every few days. */
function sinceSeptember() {
  const start = new Date();
  start.setMonth(start.getMonth() - 3, 14);
  const days = Math.round((new Date() - start) / 86_400_000);
  const out = [];
  for (let n = days; n >= 1; n -= 3) {
    out.push(record(out.length, daysAgo(n), n % 2 ? { clarity: 6, intensity: 7 } : { nothing: true, clarity: 2 }));
  }
  return { checkins: out, first: localDate(daysAgo(days)) };
}

/** 40 check-ins over the last 20 days; 16 with friends. `gap` is how much clearer those are. */
function withFriends(gap) {
  const out = [];
  for (let i = 0; i < 40; i++) {
    const friends = i % 5 < 2;
    const base = 3 + (i % 3); // 3, 4, 5
    out.push(record(i, daysAgo(1 + (i >> 1), 8 + (i % 2) * 8), {
      clarity: friends ? base + gap : base,
      context: friends ? { with: 'friends' } : { with: 'alone' },
    }));
  }
  return out;
}

describe('calendar, insights and practices', () => {
  let browser;
  before(async () => { browser = await launchBrowser(); });
  after(async () => { await browser?.close(); });

  test('the calendar opens on the current month, newest first, and every day leads to its page', { timeout: TIMEOUT }, async () => {
    const { checkins, first } = sinceSeptember();
    const app = await startApp({ prepare: fixture(checkins) });
    try {
      for (const { name, viewport } of WIDTHS) {
        const { context, page } = await signedInPage(browser, app, { viewport });
        await page.goto(app.origin + '/calendar');
        const months = await page.locator('section.month h2').allTextContents();
        const now = new Date();
        const expected = [0, 1, 2, 3].map((k) => new Date(now.getFullYear(), now.getMonth() - k, 1))
          .filter((d) => d.getFullYear() === now.getFullYear())
          .map((d) => d.toLocaleString('en-GB', { month: 'long' }));
        assert.deepEqual(months, expected, `${name}: the months holding check-ins, newest first`);
        const current = page.locator('section.month').first();
        const box = await current.boundingBox();
        assert.ok(box.y < viewport.height, `${name}: the current month starts on the first screen (at ${box.y} px)`);
        const today = page.locator(`a.day.today[href="/day/${localDate()}"]`);
        assert.equal(await today.count(), 1, `${name}: today is marked and tappable`);
        assert.equal(await today.getAttribute('aria-current'), 'date');
        const todayBox = await today.boundingBox();
        assert.ok(todayBox.y + todayBox.height <= viewport.height, `${name}: today is visible without scrolling`);
        assert.ok(todayBox.width >= 40 && todayBox.height >= 40, `${name}: a day is big enough to tap (${todayBox.width}×${todayBox.height})`);

        // The legend shows the classes the days use.
        const legend = await page.locator('.legend .swatch').evaluateAll((els) => els.map((e) => e.className));
        assert.ok(legend.some((c) => c.includes('numb')) && legend.some((c) => c.includes('tone-')), `legend: ${legend}`);

        const day = page.locator(`a.day[href="/day/${first}"]`);
        assert.equal(await day.count(), 1, `${name}: the first day of the story is a link`);
        await Promise.all([page.waitForURL(`**/day/${first}`), day.click()]);
        assert.ok(await page.locator('li.card').count() >= 1, `${name}: the day shows its check-in`);
        assert.equal(await page.locator('a[rel="prev"]').count(), 1);
        assert.equal(await page.locator('a[rel="next"]').count(), 1);
        assert.match(await page.locator('a', { hasText: 'Add a check-in for this day' }).getAttribute('href'), new RegExp(`/checkin\\?date=${first}$`));
        await page.screenshot({ path: `screenshots/calendar-${name}.png`, fullPage: false });
        await context.close();
      }
    } finally {
      await app.stop();
    }
  });

  test('the breathing circle grows and shrinks with JavaScript off', { timeout: TIMEOUT }, async () => {
    const app = await startApp();
    try {
      for (const { name, viewport } of WIDTHS) {
        // Sign in with JavaScript on (the link), then browse with it off.
        const { context } = await signedInPage(browser, app, { viewport });
        const cookies = await context.cookies();
        await context.close();
        const off = await newContext(browser, { viewport, javaScriptEnabled: false });
        await off.addCookies(cookies);
        const page = await off.newPage();
        await page.goto(app.origin + '/practice/breathing');
        await page.fill('#in', '2');
        await page.fill('#out', '3');
        await Promise.all([page.waitForURL(/step=1/), page.getByRole('button', { name: 'Begin at this pace' }).click()]);
        assert.equal(await page.locator('text=Step 1 of').count(), 0, 'no step-by-step reloads');
        const circle = page.locator('.pacer-circle');
        const style = await circle.evaluate((el) => {
          const s = getComputedStyle(el);
          return { name: s.animationName, duration: s.animationDuration, count: s.animationIterationCount, running: el.getAnimations().length };
        });
        assert.equal(style.name, 'breathe', `${name}: ${JSON.stringify(style)}`);
        assert.equal(style.duration, '5s', 'in 2 + out 3');
        assert.equal(style.count, '36', '3 minutes of 5-second breaths');
        assert.ok(style.running >= 1, 'the animation runs');
        const sizes = [];
        for (let k = 0; k < 3; k++) {
          sizes.push((await circle.boundingBox()).width);
          await page.waitForTimeout(700);
        }
        assert.ok(new Set(sizes.map((s) => Math.round(s))).size > 1, `${name}: the circle changes size: ${sizes}`);
        assert.ok(await page.getByRole('link', { name: 'Stop here' }).isVisible(), 'a clear way to stop');
        await page.screenshot({ path: `screenshots/breathing-${name}.png` });
        await off.close();
      }
    } finally {
      await app.stop();
    }
  });

  test('insights with no check-ins say so kindly, with no empty charts', { timeout: TIMEOUT }, async () => {
    const app = await startApp();
    try {
      for (const { name, viewport } of WIDTHS) {
        const { context, page } = await signedInPage(browser, app, { viewport });
        await page.goto(app.origin + '/insights');
        assert.ok(await page.getByRole('heading', { name: 'Nothing to show yet, and that is fine' }).isVisible(), name);
        assert.equal(await page.locator('svg').count(), 0, `${name}: no empty charts`);
        await context.close();
      }
    } finally {
      await app.stop();
    }
  });

  for (const [gap, shown] of [[3, true], [0, false]]) {
    test(`the context card ${shown ? 'appears for a real difference' : 'stays away without one'}`, { timeout: TIMEOUT }, async () => {
      const app = await startApp({ prepare: fixture(withFriends(gap)) });
      try {
        for (const { name, viewport } of WIDTHS) {
          const { context, page } = await signedInPage(browser, app, { viewport });
          await page.goto(app.origin + '/insights');
          const card = page.locator('#card-context');
          assert.equal(await card.count(), shown ? 1 : 0, `${name}: gap ${gap}`);
          if (shown) {
            const text = await card.textContent();
            assert.match(text, /Check-ins with friends: feelings clearer by about 2\.9 of 10 \(range [\d.]+ to [\d.]+, 16 check-ins\)/);
            assert.match(text, /2 contexts had at least 14 check-ins/);
          }
          // Chart text reads at this width: at least 12 px on screen.
          const smallest = await page.locator('svg.chart text').evaluateAll((els) => Math.min(...els.map((e) => {
            const svg = e.ownerSVGElement;
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return parseFloat(getComputedStyle(e).fontSize) * scale;
          })));
          assert.ok(smallest >= 12, `${name}: the smallest chart text renders at ${smallest.toFixed(1)} px`);
          assert.equal(await page.locator('svg.chart').count(), await page.locator('.chart-legend').count(), `${name}: a legend for every chart`);
          if (shown) await page.screenshot({ path: `screenshots/insights-${name}.png`, fullPage: true });
          await context.close();
        }
      } finally {
        await app.stop();
      }
    });
  }
});
