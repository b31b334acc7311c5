// The page suite: every page the router serves, at 390 × 844 and 1280 × 900,
// in light and dark, through axe (no serious or critical problem) with a
// screenshot of each under screenshots/pages/; then unlock, Lock and
// auto-lock in a real browser. Pages are listed from the router itself
// (crates/feltsense-web/src/lib.rs), so a new page is scanned without
// editing this file; a route with a parameter is filled from the first
// link to it found on the other pages.
//
// The app shell's own pages must pass; problems on the pages other parts
// of the app own are reported (and fail only with FELTSENSE_AXE_STRICT=1),
// since those pages are being rebuilt alongside.
//
// Run: cargo build -p feltsense && cd web-tests && node --test pages.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import {
  REPO, BIN, PASSPHRASE, SCREENSHOTS, AXE_PATH, startApp, launchBrowser, newContext, describeViolations,
} from './lib.mjs';

const TIMEOUT = 900_000;
const WIDTHS = [{ width: 390, height: 844 }, { width: 1280, height: 900 }];
const SCHEMES = ['light', 'dark'];
const SHOTS = path.join(SCREENSHOTS, 'pages');
/** Pages this suite's owner (the app shell) answers for. */
const SHELL = [/^\/$/, /^\/unlock/, /^\/help-now/, /^\/settings$/, /^\/safety-plan$/, /^\/no-such-page$/];
/** GET routes that are downloads or feeds, not pages. */
const NOT_PAGES = [/^\/static\//, /^\/favicon/, /^\/manifest/, /^\/export\./, /^\/report$/, /^\/reminders\.ics$/];
const STRICT = process.env.FELTSENSE_AXE_STRICT === '1';

/** Every GET route of the router, as written in lib.rs. */
export async function routesFromRouter() {
  const source = await readFile(path.join(REPO, 'crates', 'feltsense-web', 'src', 'lib.rs'), 'utf8');
  const routes = [];
  for (const m of source.matchAll(/\.route\(\s*"([^"]+)",\s*([^)]*\))/g)) {
    if (/\bget\(/.test(m[2])) routes.push(m[1]);
  }
  return [...new Set(routes)].filter((r) => !NOT_PAGES.some((re) => re.test(r)));
}

/** A route like `/journal/{id}` as a pattern that matches its links. */
function pattern(route) {
  const body = route.split(/\{[^}]+\}/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/?#]+');
  return new RegExp(`^${body}$`);
}

function run(dataDir, args, input) {
  const env = { ...process.env, FELTSENSE_DATA_DIR: dataDir, FELTSENSE_PASSPHRASE: PASSPHRASE };
  return execFileSync(BIN, args, { env, input, stdio: ['pipe', 'pipe', 'pipe'] }).toString();
}

/** A few records of each kind, so every page has something to show. */
function seed(dataDir) {
  run(dataDir, ['checkin', '--feel', 'calm:5', '--feel', 'tired:3', '--clarity', '6', '--pleasant', '1']);
  run(dataDir, ['checkin', '--nothing']);
  run(dataDir, ['journal'], 'A slow morning. I felt a little calmer after the walk.\n');
  run(dataDir, ['assess', 'phq9', '--answers', '1,1,0,1,0,1,0,0,0']);
  run(dataDir, ['bridge', 'log', 'nature', 'a walk', '--before', 'numb:6,2,no', '--after', 'calm:4,5,yes']);
}

let app;
let browser;
const skipped = [];
const others = [];

before(async () => {
  await mkdir(SHOTS, { recursive: true });
  app = await startApp();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await app?.stop();
});

/** Every same-origin link on the pages at `paths`, added to `links`. */
async function collectLinks(page, paths, links) {
  for (const p of paths) {
    await page.goto(`${app.origin}${p}`);
    for (const href of await page.$$eval('a[href^="/"]', (as) => as.map((a) => a.getAttribute('href')))) {
      links.add(href.split('#')[0]);
    }
  }
}

/**
 * The pages to scan, as { name, path }: every parameterless route, then each
 * route with a parameter filled from the first link to it (looking on the
 * pages found so far, three rounds deep); `name` is the route itself.
 */
async function pagesToScan(page) {
  const routes = await routesFromRouter();
  const pages = routes.filter((r) => !r.includes('{')).map((r) => ({ name: r, path: r }));
  let waiting = routes.filter((r) => r.includes('{'));
  const links = new Set();
  let fresh = pages.map((p) => p.path);
  for (let round = 0; round < 3 && waiting.length; round++) {
    await collectLinks(page, fresh, links);
    fresh = [];
    waiting = waiting.filter((r) => {
      const found = [...links].find((h) => pattern(r).test(h.split('?')[0]));
      if (found) { pages.push({ name: r, path: found }); fresh.push(found); }
      return !found;
    });
  }
  skipped.push(...waiting);
  return [...pages, { name: '/no-such-page', path: '/no-such-page' }];
}

function slug(p) {
  return (p === '/' ? 'root' : p.slice(1)).replace(/[^a-z0-9]+/gi, '_').replace(/_+$/, '');
}

test('every page passes axe at both widths in light and dark, with screenshots', { timeout: TIMEOUT }, async (t) => {
  seed(app.dataDir);
  const context = await newContext(browser, { bypassCSP: true }, { countConsoleErrors: false });
  const page = await context.newPage();
  await app.open(page);
  const pages = await pagesToScan(page);
  assert.ok(pages.length >= 15, `the router lists the pages (${pages.length})`);
  await context.close();
  const shell = [];
  for (const colorScheme of SCHEMES) {
    for (const viewport of WIDTHS) {
      const ctx = await newContext(browser, { bypassCSP: true, colorScheme, viewport }, { countConsoleErrors: false });
      const p = await ctx.newPage();
      await app.open(p);
      for (const { name, path: route } of pages) {
        await p.goto(`${app.origin}${route}`);
        await p.screenshot({ path: path.join(SHOTS, `${slug(name)}-${viewport.width}-${colorScheme}.png`), fullPage: true });
        await p.addScriptTag({ path: AXE_PATH });
        const results = await p.evaluate(() => window.axe.run());
        const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        if (!bad.length) continue;
        const line = `${route} (${viewport.width} px, ${colorScheme}):\n${describeViolations(bad)}`;
        (SHELL.some((re) => re.test(name)) ? shell : others).push(line);
      }
      await ctx.close();
    }
  }
  await writeFile(path.join(SHOTS, 'axe-others.txt'), others.join('\n') || 'none\n');
  if (skipped.length) t.diagnostic(`routes with no link to fill them: ${skipped.join(', ')}`);
  if (others.length) t.diagnostic(`axe problems on pages other parts own (screenshots/pages/axe-others.txt):\n${others.join('\n')}`);
  assert.equal(shell.length, 0, `axe found serious or critical problems on the shell's pages:\n${shell.join('\n')}`);
  if (STRICT) assert.equal(others.length, 0, `axe found serious or critical problems:\n${others.join('\n')}`);
});

test('the unlock page, locked pages and help-now pass axe too', { timeout: TIMEOUT }, async () => {
  const found = [];
  for (const colorScheme of SCHEMES) {
    for (const viewport of WIDTHS) {
      const ctx = await newContext(browser, { bypassCSP: true, colorScheme, viewport }, { countConsoleErrors: false });
      const p = await ctx.newPage();
      for (const route of ['/unlock', '/calendar', '/help-now', '/help-now?country=GB']) {
        await p.goto(`${app.origin}${route}`);
        await p.screenshot({ path: path.join(SHOTS, `locked-${slug(route)}-${viewport.width}-${colorScheme}.png`), fullPage: true });
        await p.addScriptTag({ path: AXE_PATH });
        const results = await p.evaluate(() => window.axe.run());
        const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        if (bad.length) found.push(`${route} locked (${viewport.width} px, ${colorScheme}):\n${describeViolations(bad)}`);
      }
      await ctx.close();
    }
  }
  assert.equal(found.length, 0, found.join('\n'));
});

test('the top bar keeps "I\'m not safe right now" and Lock within a sixth of a phone screen', { timeout: TIMEOUT }, async () => {
  const ctx = await newContext(browser, { viewport: WIDTHS[0] });
  const p = await ctx.newPage();
  await app.open(p);
  for (const route of ['/checkin', '/settings', '/calendar']) {
    await p.goto(`${app.origin}${route}`);
    const bar = await p.locator('header.top').boundingBox();
    assert.ok(bar.height <= 844 / 6, `${route}: the top bar is ${bar.height} px tall`);
    assert.ok(await p.getByRole('link', { name: "I'm not safe right now" }).isVisible(), route);
    assert.ok(await p.getByRole('button', { name: 'Lock', exact: true }).isVisible(), route);
  }
  await ctx.close();
});

test('a bookmark after a start without a terminal: unlock, Lock, and the auto-lock', { timeout: TIMEOUT }, async () => {
  const locked = await startApp({ init: true, args: ['--locked', '--auto-lock', '3s'] });
  try {
    const ctx = await newContext(browser, { viewport: WIDTHS[0] }, { countConsoleErrors: false });
    const p = await ctx.newPage();
    await p.goto(`${locked.origin}/calendar`); // a bookmark: no secret in it
    assert.equal(await p.locator('h1').innerText(), 'Unlock feltsense');
    await p.getByLabel('Your passphrase').fill('not the passphrase');
    await p.getByRole('button', { name: 'Unlock' }).click();
    assert.match(await p.locator('.problem').innerText(), /does not open your store/);
    await p.getByLabel('Your passphrase').fill(PASSPHRASE);
    await p.getByRole('button', { name: 'Unlock' }).click();
    assert.match(await p.locator('.problem').innerText(), /waits a little/, 'too soon after a wrong one');
    await p.waitForTimeout(1100);
    await p.getByLabel('Your passphrase').fill(PASSPHRASE);
    await p.getByRole('button', { name: 'Unlock' }).click();
    assert.equal(new URL(p.url()).pathname, '/calendar', 'back to the bookmarked page');

    await p.getByRole('button', { name: 'Lock', exact: true }).click();
    assert.equal(await p.locator('h1').innerText(), 'feltsense is locked');
    await p.goto(`${locked.origin}/recent`);
    assert.equal(await p.locator('h1').innerText(), 'Unlock feltsense', 'locked means locked');
    await p.getByLabel('Your passphrase').fill(PASSPHRASE);
    await p.getByRole('button', { name: 'Unlock' }).click();
    assert.equal(new URL(p.url()).pathname, '/recent');

    await p.waitForTimeout(4500); // longer than the 3 s auto-lock
    await p.goto(`${locked.origin}/recent`);
    assert.equal(await p.locator('h1').innerText(), 'Unlock feltsense', 'locked after 3 s unused');
    const help = await p.goto(`${locked.origin}/help-now`);
    assert.equal(help.status(), 200, 'help-now works while locked');
    await ctx.close();
  } finally {
    await locked.stop();
  }
});
