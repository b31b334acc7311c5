// Helpers for the feltsense browser tests: start the app on a fresh data
// directory, launch Debian's headless Chromium through playwright-core, and
// record every request the pages make.

import { spawn, execFileSync } from 'node:child_process';
import http from 'node:http';
import { mkdtemp, rm, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '..');
export const BIN = process.env.FELTSENSE_BIN || path.join(REPO, 'target', 'debug', 'feltsense');
export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
export const SCREENSHOTS = path.join(here, 'screenshots');
export const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
export const PASSPHRASE = 'test-passphrase-123';

// Without the background-networking flags Chromium's connections are refused here.
export const CHROMIUM_ARGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export const PAGES = ['checkin', 'recent', 'calendar', 'insights', 'settings', 'journal', 'safety-plan', 'help-now', 'bridges', 'practice/grounding?step=1', 'assess', 'assess/phq9'];

/**
 * Starts `feltsense serve --port 0` (and `args`) on a new temporary data
 * directory (with a store made first when `init`) and resolves once it has
 * printed its link. `stop()` ends it and removes the
 * directory.
 */
export async function startApp({ timeoutMs = 60_000, args = [], init = false, prepare = null } = {}) {
  if (!existsSync(BIN)) {
    throw new Error(`no feltsense binary at ${BIN}: run \`cargo build -p feltsense\` first, or set FELTSENSE_BIN`);
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'feltsense-web-'));
  const dataDir = path.join(dir, 'data');
  const env = { ...process.env, FELTSENSE_DATA_DIR: dataDir, FELTSENSE_PASSPHRASE: PASSPHRASE };
  if (init) {
    // A store made beforehand, for a `serve --locked` that asks for nothing.
    execFileSync(BIN, ['init'], { env, stdio: 'ignore' });
  }
  // A fixture may fill the store through the CLI before the app starts.
  if (prepare) await prepare({ dir, dataDir, env });
  const child = spawn(BIN, ['serve', '--port', '0', ...args], {
    env: { ...process.env, FELTSENSE_DATA_DIR: dataDir, FELTSENSE_PASSPHRASE: PASSPHRASE },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const link = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`feltsense printed no link within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = stdout.match(/http:\/\/[a-z0-9-]+\.localhost:\d+\/\?token=[0-9a-fA-F]+/);
      if (m) { clearTimeout(timer); resolve(m[0]); }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`feltsense serve exited (code ${code}, signal ${signal}) before printing a link\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
  });
  const origin = new URL(link).origin;
  // The link opens feltsense once; later contexts are the same browser
  // coming back, so they carry the session cookie the first one received.
  let session = null;
  return {
    link,
    origin,
    session: () => session,
    /**
     * GETs `path` outside the browser, signed in (Node does not resolve
     * `*.localhost`, so it connects to 127.0.0.1 and names the host).
     */
    fetch(path) {
      const url = new URL(origin);
      const headers = { host: url.host, cookie: session ? `${session.name}=${session.value}` : '' };
      return new Promise((resolve, reject) => {
        http.get({ host: '127.0.0.1', port: url.port, path, headers }, (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        }).on('error', reject);
      });
    },
    /** Opens the app in `page`: through the link the first time, after that with the session cookie. */
    async open(page, options = {}) {
      if (session) await page.context().addCookies([session]);
      const res = await page.goto(session ? `${origin}/` : link, options);
      if (!session) session = (await page.context().cookies()).find((c) => c.name === 'feltsense_session') ?? null;
      return res;
    },
    dir,
    dataDir,
    output: () => ({ stdout, stderr }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT'); // graceful shutdown on Ctrl-C
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_BIN`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * Everything the pages asked for, across the suite: every request, every
 * document response with its CSP header, console errors and page errors.
 */
export const traffic = { requests: [], documents: [], consoleErrors: [], pageErrors: [] };

/** A new context whose requests, console errors and page errors are recorded. */
export async function newContext(browser, options = {}, { countConsoleErrors = true } = {}) {
  const context = await browser.newContext(options);
  context.on('request', (req) => traffic.requests.push(req.url()));
  context.on('response', (res) => {
    if (res.request().resourceType() === 'document') {
      traffic.documents.push({ url: res.url(), status: res.status(), csp: res.headers()['content-security-policy'] });
    }
  });
  context.on('page', (page) => watchPage(page, countConsoleErrors));
  return context;
}

function watchPage(page, countConsoleErrors) {
  page.on('console', (msg) => {
    if (!countConsoleErrors || msg.type() !== 'error') return;
    const where = msg.location()?.url ?? '';
    // A 422 re-render of an invalid form is expected where a test sends one.
    if (/status of 422/.test(msg.text())) return;
    traffic.consoleErrors.push(`${page.url()}: ${msg.text()} (${where})`);
  });
  page.on('pageerror', (err) => traffic.pageErrors.push(`${page.url()}: ${err.message}`));
}

/** A new context and page, signed in through the app's link. */
export async function signedInPage(browser, app, options = {}) {
  const context = await newContext(browser, options);
  const page = await context.newPage();
  const res = await app.open(page);
  if (!res || !res.ok()) throw new Error(`opening the link gave ${res && res.status()}`);
  if (new URL(page.url()).pathname !== '/checkin') {
    throw new Error(`the link should land on /checkin, landed on ${page.url()}`);
  }
  return { context, page };
}

/** Today's date on this machine, as the server's local time sees it: YYYY-MM-DD. */
export function localDate(d = new Date()) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export async function ensureScreenshotDir() {
  await mkdir(SCREENSHOTS, { recursive: true });
  return SCREENSHOTS;
}

/** axe results as lines a person can read. */
export function describeViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `    - ${n.target.join(' ')}\n      ${(n.failureSummary || '').replace(/\n/g, '\n      ')}`)
        .join('\n');
      return `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}`;
    })
    .join('\n');
}
