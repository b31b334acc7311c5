// Issue 12's check-in figures, before and after in one run: the first load
// of /checkin at 390×844 (bytes over the wire, DOM-interactive time, page
// height, form controls), and a one-word check-in (taps, and how far down
// Save is when the word is ticked).
//
//   cargo build -p feltsense && cd web-tests && \
//     BEFORE=/path/to/old/feltsense node checkin-figures.mjs
//
// BEFORE is a feltsense binary built from main before issue 12 (default
// /tmp/feltsense-before-checkin); AFTER is this tree's (default
// target/debug/feltsense). RUNS first loads each (default 10), medians.
// Each binary is measured in a child process (lib.mjs reads FELTSENSE_BIN
// once), one after the other, on the same machine in the same run.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const RUNS = Number(process.env.RUNS || 10);
const PHONE = { width: 390, height: 844 };

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** One first load in a fresh context, cache off: bytes and timings. */
async function firstLoad(browser, app) {
  const context = await browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  await app.open(page, { waitUntil: 'load' });
  await page.waitForLoadState('networkidle');
  const t = await page.evaluate(() => ({
    domInteractive: performance.getEntriesByType('navigation')[0].domInteractive,
    height: document.documentElement.scrollHeight,
    controls: document.querySelectorAll('input, select, textarea, button').length,
  }));
  await context.close();
  return { bytes, ...t };
}

/** Taps one word and saves, the shortest way the page offers; counts taps. */
async function oneWord(browser, app) {
  const context = await browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  await app.open(page);
  let taps = 1; // opening the app
  const area = page.getByRole('button', { name: /^Pleasant, calm/ });
  if (await area.count()) {
    await Promise.all([page.waitForEvent('load'), area.click()]);
    taps += 1;
  } else {
    // Before issue 12: the word's family is a closed <details>.
    await page.locator('details.family', { has: page.locator('#w-content') }).locator('summary').click();
    taps += 1;
  }
  await page.locator('#w-content').check();
  taps += 1;
  const save = page.getByRole('button', { name: 'Save check-in' });
  const box = await save.boundingBox();
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  const saveVisible = box.y >= 0 && box.y + box.height <= PHONE.height;
  await save.click();
  taps += 1;
  await page.waitForURL(/thanks=/);
  await context.close();
  return { taps, pageHeight: height, saveOnScreenWithoutScrolling: saveVisible, saveTop: Math.round(box.y) };
}

async function measureThisBinary() {
  const { startApp, launchBrowser } = await import('./lib.mjs');
  const app = await startApp();
  const browser = await launchBrowser();
  try {
    await firstLoad(browser, app); // warm up, not counted
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await firstLoad(browser, app));
    const med = (k) => median(runs.map((r) => r[k]));
    return {
      firstLoad: {
        runs: RUNS,
        kB: Math.round(med('bytes') / 102.4) / 10,
        domInteractiveMs: Math.round(med('domInteractive') * 10) / 10,
        pageHeightPx: med('height'),
        formControls: med('controls'),
      },
      oneWordCheckIn: await oneWord(browser, app),
    };
  } finally {
    await browser.close();
    await app.stop();
  }
}

if (process.argv[2] === '--one') {
  console.log(JSON.stringify(await measureThisBinary()));
} else {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const bins = {
    before: process.env.BEFORE || '/tmp/feltsense-before-checkin',
    after: process.env.AFTER || path.join(here, '..', 'target', 'debug', 'feltsense'),
  };
  const out = { page: '/checkin at 390×844, first load from the link, fresh context, cache off', binaries: bins };
  for (const [name, bin] of Object.entries(bins)) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--one'], {
      env: { ...process.env, FELTSENSE_BIN: bin }, encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`${name}: ${r.stderr}`);
    out[name] = JSON.parse(r.stdout.trim().split('\n').pop());
  }
  console.log(JSON.stringify(out, null, 2));
}
