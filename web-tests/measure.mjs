// The first load of /checkin in a fresh browser context: bytes over the wire
// and time to interactive, as medians of RUNS runs, printed as JSON.
//
//   cargo build -p feltsense && cd web-tests && npm ci && node measure.mjs
//
// Env: FELTSENSE_BIN (default <repo>/target/debug/feltsense; a release build
// gives server times closer to what a person sees), RUNS (default 10).
//
// Each run opens the printed link (303 to /checkin, as a person would) in a
// new context, so nothing is cached. Bytes are the sum of CDP
// Network.loadingFinished encodedDataLength (headers and body as sent, for
// every request of the page: the redirect, the HTML, app.css and app.js).
// Times are from navigation start, by the Navigation Timing entry and,
// as a cross-check, the older performance.timing.

import { startApp, launchBrowser } from './lib.mjs';

const RUNS = Number(process.env.RUNS || 10);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

async function once(browser, app) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const types = new Map();
  const byType = {};
  let bytes = 0;
  let requests = 0;
  cdp.on('Network.responseReceived', (e) => types.set(e.requestId, e.type));
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
    requests += 1;
    const t = types.get(e.requestId) || 'Other';
    byType[t] = (byType[t] || 0) + e.encodedDataLength;
  });
  await app.open(page, { waitUntil: 'load' });
  if (new URL(page.url()).pathname !== '/checkin') throw new Error(`landed on ${page.url()}`);
  await page.waitForLoadState('networkidle');
  const t = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    const pt = performance.timing;
    return {
      domInteractive: nav.domInteractive,
      domContentLoaded: nav.domContentLoadedEventEnd,
      load: nav.loadEventEnd,
      firstContentfulPaint: paint ? paint.startTime : null,
      responseEnd: nav.responseEnd,
      timingInteractive: pt.domInteractive - pt.navigationStart,
      timingLoad: pt.loadEventEnd - pt.navigationStart,
      htmlBodyBytes: nav.encodedBodySize,
      domNodes: document.getElementsByTagName('*').length,
    };
  });
  await context.close();
  return { bytes, requests, byType, ...t };
}

const app = await startApp();
const browser = await launchBrowser();
try {
  await once(browser, app); // warm the server and Chromium, not counted
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await once(browser, app));
  const med = (k) => median(runs.map((r) => r[k]));
  const types = [...new Set(runs.flatMap((r) => Object.keys(r.byType)))];
  const out = {
    page: '/checkin (first load from the link, fresh context, cache off)',
    runs: RUNS,
    binary: process.env.FELTSENSE_BIN || 'target/debug/feltsense',
    median: {
      bytesTransferred: med('bytes'),
      requests: med('requests'),
      bytesByType: Object.fromEntries(types.map((t) => [t, median(runs.map((r) => r.byType[t] || 0))])),
      htmlBodyBytes: med('htmlBodyBytes'),
      domNodes: med('domNodes'),
      ms: {
        responseEnd: round(med('responseEnd')),
        firstContentfulPaint: round(median(runs.map((r) => r.firstContentfulPaint ?? NaN).filter((x) => !Number.isNaN(x)))),
        domInteractive: round(med('domInteractive')),
        domContentLoaded: round(med('domContentLoaded')),
        load: round(med('load')),
        timingDomInteractive: med('timingInteractive'),
        timingLoad: med('timingLoad'),
      },
    },
  };
  console.log(JSON.stringify(out, null, 2));
} finally {
  await browser.close();
  await app.stop();
}
