// Bytes over the wire for /checkin, first and then again in the same
// browser (as a person coming back), now that the stylesheet, script and
// icon are cached by version: medians of RUNS runs, printed as JSON.
//
//   cargo build -p feltsense && cd web-tests && node measure-repeat.mjs
//
// Bytes are CDP Network.loadingFinished encodedDataLength (headers and
// bodies as sent) for every request of the navigation.

import { startApp, launchBrowser } from './lib.mjs';

const RUNS = Number(process.env.RUNS || 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Bytes and requests that took bytes while `navigate` runs. */
async function bytesOf(cdp, navigate) {
  let total = 0;
  let requests = 0;
  const count = (e) => { total += e.encodedDataLength; if (e.encodedDataLength > 0) requests += 1; };
  cdp.on('Network.loadingFinished', count);
  await navigate();
  cdp.off('Network.loadingFinished', count);
  return { total, requests };
}

const app = await startApp();
const browser = await launchBrowser();
const first = [];
const again = [];
const requests = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    first.push((await bytesOf(cdp, () => app.open(page, { waitUntil: 'load' }))).total);
    const second = await bytesOf(cdp, () => page.goto(`${app.origin}/checkin`, { waitUntil: 'load' }));
    again.push(second.total);
    requests.push(second.requests);
    await context.close();
  }
} finally {
  await browser.close();
  await app.stop();
}
console.log(JSON.stringify({ runs: RUNS, first_bytes: median(first), again_bytes: median(again), again_requests_with_bytes: median(requests) }, null, 2));
