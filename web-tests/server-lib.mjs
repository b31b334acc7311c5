// Helpers for browser tests of `feltsense server`: migrate the PostgreSQL
// that scripts/test.sh (scripts/pg.sh) started, make a clinic and its
// first admin, start one or more server instances on loopback over plain
// http (a secure context for browsers, and the server sends its cookies
// without `Secure` only there), and walk its links, invites and sign-in in
// a real browser.
//
// Every test makes its own clinic with fresh random emails, so test files
// can share the one database. All instances use the key file the Rust
// tests use (`$FELTSENSE_PG_DIR/test-server.key`), copied into each
// harness's own temporary directory: the database seals a check value
// under the first key it meets and refuses any other.
//
//   const servers = await startServers({ count: 2 });
//   const admin = await servers.createAdmin();
//   ...
//   await servers.stop();

import { spawn, execFile } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { copyFile, mkdtemp, rm, chmod, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { BIN } from './lib.mjs';

const run = promisify(execFile);

/** Why these tests cannot run here, or null when they can. */
export function missingDatabase() {
  for (const name of ['FELTSENSE_OWNER_URL', 'FELTSENSE_DATABASE_URL']) {
    if (!process.env[name]) {
      return `${name} is not set: the server's browser tests need a PostgreSQL; start one with `
        + '`eval "$(scripts/pg.sh start)"` (scripts/test.sh does) and stop it with `scripts/pg.sh stop`';
    }
  }
  if (!existsSync(BIN)) return `no feltsense binary at ${BIN}: run \`cargo build -p feltsense\` first`;
  return null;
}

/** A password a person might choose (10 characters or more). */
export const PASSWORD = 'a slow walk by the river';

/** An email no other test uses. */
export function freshEmail(who = 'someone') {
  return `${who}-${randomUUID().slice(0, 8)}@example.org`;
}

/** A free loopback port (closed again at once; the server binds it next). */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** `feltsense server ARGS…` to its end; its stdout. */
async function server(args) {
  try {
    const { stdout } = await run(BIN, ['server', ...args], { env: process.env, timeout: 60_000 });
    return stdout;
  } catch (e) {
    throw new Error(`feltsense server ${args.join(' ')} failed (exit ${e.code}):\n${e.stdout}\n${e.stderr}`);
  }
}

/** The shared key file, made by the server if nothing made it yet. */
function sharedKeyFile(dir) {
  if (process.env.FELTSENSE_TEST_KEY_FILE) return process.env.FELTSENSE_TEST_KEY_FILE;
  const pgDir = process.env.FELTSENSE_PG_DIR;
  return pgDir ? path.join(pgDir, 'test-server.key') : path.join(dir, 'shared.key');
}

/** Resolves once GET /healthz answers 200, or rejects after `timeoutMs`. */
async function healthy(origin, child, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the server at ${origin} exited (code ${child.exitCode})`);
    try {
      const res = await fetch(`${origin}/healthz`);
      if (res.status === 200) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${origin}/healthz did not answer 200 within ${timeoutMs} ms`);
}

/** Starts one instance with `keyFile`; resolves once it is healthy. */
async function startInstance(keyFile) {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const child = spawn(BIN, [
    'server', '--database-url', process.env.FELTSENSE_DATABASE_URL, '--key-file', keyFile,
    '--public-url', origin, '--listen', `127.0.0.1:${port}`,
  ], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await healthy(origin, child);
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${e.message}\n${output}`);
  }
  return {
    origin,
    port,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Migrates the database (as its owner) and starts `count` instances on
 * the same database and key. `instances[i].origin` is each one's address;
 * `createAdmin()` makes a new clinic; `stop()` ends them all.
 */
export async function startServers({ count = 1 } = {}) {
  const missing = missingDatabase();
  if (missing) throw new Error(missing);
  await server(['--database-url', process.env.FELTSENSE_OWNER_URL, 'migrate']);
  const dir = await mkdtemp(path.join(tmpdir(), 'feltsense-server-'));
  const keyFile = path.join(dir, 'server.key');
  const shared = sharedKeyFile(dir);
  // 32 random bytes, owner-only, as the server makes it (whoever is first).
  await writeFile(shared, randomBytes(32), { flag: 'wx', mode: 0o600 }).catch((e) => {
    if (e.code !== 'EEXIST') throw e;
  });
  await copyFile(shared, keyFile);
  await chmod(keyFile, 0o600);
  const instances = [];
  try {
    for (let i = 0; i < count; i += 1) instances.push(await startInstance(keyFile));
  } catch (e) {
    await Promise.all(instances.map((s) => s.stop()));
    throw e;
  }
  return {
    instances,
    keyFile,
    dir,
    /** A new clinic and its admin: `{ email, link }` (the one-time setup link, on the first instance). */
    async createAdmin(email = freshEmail('admin')) {
      return { email, link: await makeAdmin(keyFile, instances[0].origin, email) };
    },
    async stop() {
      await Promise.all(instances.map((s) => s.stop()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** `server admin create-admin EMAIL`, and the setup link it printed. */
async function makeAdmin(keyFile, origin, email) {
  const out = await server([
    '--database-url', process.env.FELTSENSE_DATABASE_URL, '--key-file', keyFile,
    '--public-url', origin, 'admin', 'create-admin', email,
  ]);
  const link = out.match(/https?:\/\/\S+\/setup\/\S+/);
  if (!link) throw new Error(`create-admin printed no setup link:\n${out}`);
  return link[0];
}

/** RFC 4648 base 32 (no padding needed) to bytes. */
function base32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/[=\s]/g, '').toUpperCase()) {
    const v = alphabet.indexOf(c);
    if (v < 0) throw new Error(`'${c}' is not base 32`);
    bits += v.toString(2).padStart(5, '0');
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** The RFC 6238 code (SHA-1, six digits, 30 s) for a base-32 secret at `unixSeconds`. */
export function totp(secret, unixSeconds = Date.now() / 1000) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = createHmac('sha1', base32(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(value).padStart(6, '0');
}

/** Answers a 4xx/5xx after a navigation as an error naming the page. */
async function expectOk(page, res, what) {
  if (!res || res.status() >= 400) {
    const text = await page.locator('main, body').first().innerText().catch(() => '');
    throw new Error(`${what} answered ${res && res.status()} at ${page.url()}: ${text.slice(0, 400)}`);
  }
}

/** Submits the form that holds `button` and waits for the next page. */
async function submit(page, button) {
  const [res] = await Promise.all([page.waitForNavigation(), page.locator(button).click()]);
  return res;
}

/**
 * Opens a setup, invite or reset `link` and chooses `password`. With
 * `secondFactor` (always for staff), sets one up from the secret the page
 * shows and returns it (base 32); the recovery codes page is passed.
 */
export async function completeLink(page, link, { password = PASSWORD, secondFactor = false, name = '' } = {}) {
  await expectOk(page, await page.goto(link), 'the link');
  if (name) await page.fill('#display_name', name);
  await page.fill('#password', password);
  await page.fill('#password_again', password);
  let secret = null;
  if (secondFactor) {
    secret = (await page.locator('figure.qr figcaption code').innerText()).trim();
    await page.fill('#code', totp(secret));
  }
  await expectOk(page, await submit(page, 'form button[type=submit]'), 'the link\'s form');
  if (secondFactor) {
    await expectOk(page, await Promise.all([page.waitForNavigation(), page.click('text=I have kept them')]).then(([r]) => r), 'after the recovery codes');
  }
  return secret;
}

/** As a signed-in admin, invites `email` as `role`; the invite link. */
export async function invite(page, origin, email, role = 'person') {
  await expectOk(page, await page.goto(`${origin}/staff`), 'the staff page');
  await page.fill('#email', email);
  await page.selectOption('#role', role);
  await expectOk(page, await submit(page, 'form[action="/staff/invite"] button[type=submit]'), 'the invite');
  const link = (await page.locator('code.link').innerText()).trim();
  if (!/\/invite\//.test(link)) throw new Error(`the staff page showed no invite link: ${link}`);
  return link;
}

/** Signs in at `origin` (with the TOTP `secret` when the account has one). */
export async function signIn(page, origin, email, { password = PASSWORD, secret = null } = {}) {
  await expectOk(page, await page.goto(`${origin}/login`), 'the sign-in page');
  await page.fill('#email', email);
  await page.fill('#password', password);
  await expectOk(page, await submit(page, 'form[action="/login"] button[type=submit]'), 'signing in');
  if (secret) {
    await page.fill('#code', totp(secret));
    await expectOk(page, await submit(page, 'form[action="/login/code"] button[type=submit]'), 'the code');
  }
  if (/\/login/.test(new URL(page.url()).pathname)) throw new Error(`signing in as ${email} stayed on ${page.url()}`);
}

/**
 * One value from the database, read as its superuser (past row-level
 * security; `FELTSENSE_ADMIN_URL`, which scripts/pg.sh sets), or null
 * when that URL is not set.
 */
export async function sql(query) {
  const url = process.env.FELTSENSE_ADMIN_URL;
  if (!url) return null;
  const psql = process.env.FELTSENSE_PG_BIN ? path.join(process.env.FELTSENSE_PG_BIN, 'psql') : 'psql';
  const { stdout } = await run(psql, ['-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', query]);
  return stdout.trim();
}

/** A random string fit for a note no other test writes. */
export function marker() {
  return randomBytes(6).toString('hex');
}
