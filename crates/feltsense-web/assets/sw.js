// feltsense's service worker, for `feltsense server` only (app.js does not
// register it in the local app). The server puts VERSION and SHELL (the
// stylesheet, script and icons at their versions) above this text.
//
// What it keeps: the app shell, and the signed-in account's check-in page,
// so the installed app opens without a connection. No other page is ever
// kept: they hold what a person wrote. A check-in whose POST finds no
// network is kept in IndexedDB under its account and its id (made on the
// phone, so sending it twice stores it once) and sent when the connection
// is back: on `online` and on each page load (app.js asks), and through
// Background Sync where the browser has it. Signing out clears both.
"use strict";

const SHELL_CACHE = "feltsense-shell-" + VERSION;
const PAGES_CACHE = "feltsense-pages";
const CHECKIN = "/checkin";
const SYNC_TAG = "send-checkins";

self.addEventListener("install", (ev) => {
  ev.waitUntil(caches.open(SHELL_CACHE).then((c) => c.addAll(SHELL))
    .then(() => refreshCheckinPage().catch(() => null))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (ev) => {
  const old = (name) => name.startsWith("feltsense-shell-") && name !== SHELL_CACHE;
  ev.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter(old).map((n) => caches.delete(n))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (ev) => {
  const req = ev.request;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.method === "POST" && url.pathname === CHECKIN) {
    ev.respondWith(postCheckin(req));
  } else if (req.method === "GET" && SHELL.includes(url.pathname + url.search)) {
    ev.respondWith(caches.match(req).then((hit) => hit || fetch(req)));
  } else if (req.method === "GET" && req.mode === "navigate") {
    ev.respondWith(navigate(req, url));
  }
});

self.addEventListener("sync", (ev) => {
  if (ev.tag === SYNC_TAG) ev.waitUntil(flush());
});

self.addEventListener("message", (ev) => {
  const reply = (message) => ev.ports[0] && ev.ports[0].postMessage(message);
  if (ev.data && ev.data.type === "flush") {
    ev.waitUntil(flush().catch(() => 0).then((sent) => reply({ sent })));
  } else if (ev.data && ev.data.type === "forget") {
    ev.waitUntil(flush().catch(() => 0).then(forget).then(() => reply({ forgotten: true })));
  }
});

// --- Pages -----------------------------------------------------------

/** A page from the network; the check-in page is kept for offline use. */
async function navigate(req, url) {
  const checkin = url.pathname === CHECKIN && !url.search;
  try {
    const res = await fetch(req);
    if (checkin && res.ok) {
      await keepPage(res.clone());
    } else if (checkin && res.type === "opaqueredirect") {
      await caches.delete(PAGES_CACHE); // signed out elsewhere: keep nothing of theirs
    }
    return res;
  } catch (offline) {
    if (checkin || url.pathname === "/") {
      const kept = await caches.open(PAGES_CACHE).then((c) => c.match(CHECKIN));
      if (kept) return kept;
    }
    return page("This page needs the connection",
      "There is no connection just now. Checking in works without one, and is sent later by itself.",
      '<p><a href="/checkin">Check in</a></p>', 503);
  }
}

async function keepPage(res) {
  const cache = await caches.open(PAGES_CACHE);
  await cache.put(CHECKIN, res);
}

/** Fetches the check-in page (signed in): kept, and its CSRF token and account read. */
async function refreshCheckinPage() {
  const res = await fetch(CHECKIN, { credentials: "same-origin" });
  if (res.redirected || !res.ok) {
    await caches.delete(PAGES_CACHE);
    return null;
  }
  const html = await res.clone().text();
  await keepPage(res);
  return { csrf: attribute(html, /name="csrf" value="([^"]*)"/), account: attribute(html, /data-account="([^"]*)"/) };
}

function attribute(html, pattern) {
  const m = html.match(pattern);
  return m ? m[1] : "";
}

/** The account the kept check-in page is for ("" if none is kept). */
async function keptAccount() {
  const kept = await caches.open(PAGES_CACHE).then((c) => c.match(CHECKIN));
  return kept ? attribute(await kept.text(), /data-account="([^"]*)"/) : "";
}

/** A small page of the app's look (from the kept stylesheet and script). */
function page(title, text, more, status = 200) {
  const esc = (s) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]));
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark">
<title>${esc(title)} · feltsense</title><link rel="stylesheet" href="${SHELL[0]}"><script src="${SHELL[1]}" defer></script></head>
<body><main id="main"><h1>${esc(title)}</h1><p id="kept-status" role="status">${esc(text)}</p>${more}</main></body></html>`;
  return new Response(html, { status, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
}

// --- Check-ins kept offline ---------------------------------------------

/** The POST of the check-in form; kept on the phone when there is no network. */
async function postCheckin(req) {
  const form = await req.clone().formData();
  try {
    return await fetch(req);
  } catch (offline) {
    if (form.has("area") || form.get("act") === "find") {
      return page("Words need the connection",
        "The words for an area come from the server, and there is no connection just now. You can go back and save what you chose as it is (an area alone, \u201cI can't feel much right now\u201d or a note are all fine): it is then kept on this phone and sent later.",
        '<p><a href="/checkin">Back to the check-in</a></p>', 503);
    }
    const id = form.get("checkin_id");
    const account = await keptAccount();
    if (!id || !account) {
      return page("Not sent", "There is no connection just now, so this check-in could not be sent. Please try again when you are back online.", "", 503);
    }
    await put({ id, account, fields: [...form.entries()], kept: Date.now() });
    try { await self.registration.sync.register(SYNC_TAG); } catch (noSync) { /* sent on online or the next page */ }
    return page("Kept on this phone",
      "There is no connection just now, so this check-in is kept here on this phone. It will be sent by itself when the connection is back; there is nothing you need to do.",
      '<p><a href="/checkin">Check in again</a></p>', 202);
  }
}

let flushing = null;

/** Sends the kept check-ins of the signed-in account, one at a time; how many went. */
function flush() {
  if (!flushing) flushing = send().finally(() => { flushing = null; });
  return flushing;
}

async function send() {
  const items = await all();
  if (!items.length) return 0;
  const signedIn = await refreshCheckinPage();
  if (!signedIn || !signedIn.account) return 0; // kept until they sign in again
  let sent = 0;
  for (const item of items.filter((i) => i.account === signedIn.account)) {
    const body = new URLSearchParams(item.fields.map(([k, v]) => [k, k === "csrf" ? signedIn.csrf : v]));
    const res = await fetch(CHECKIN, { method: "POST", body, credentials: "same-origin" });
    const saved = res.redirected && new URL(res.url).pathname === "/recent";
    // A form the server refuses for good (it names what was wrong) would
    // be refused every time; anything else is tried again later.
    if (saved || [400, 413, 422].includes(res.status)) await remove(item.id);
    if (saved) sent += 1;
    else if (![400, 413, 422].includes(res.status)) break;
  }
  if (sent) {
    const left = (await all()).length;
    for (const client of await self.clients.matchAll()) client.postMessage({ type: "sent", sent, left });
  }
  return sent;
}

/** Signing out: nothing of this account stays on the phone. */
async function forget() {
  await caches.delete(PAGES_CACHE);
  await clear();
}

// --- IndexedDB: the queue, keyed by the check-in's id ---------------------

function db() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open("feltsense-offline", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("checkins", { keyPath: "id" });
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

async function queue(mode, act) {
  const d = await db();
  return new Promise((resolve, reject) => {
    const tx = d.transaction("checkins", mode);
    const req = act(tx.objectStore("checkins"));
    tx.oncomplete = () => { d.close(); resolve(req.result); };
    tx.onerror = () => { d.close(); reject(tx.error); };
  });
}

const put = (item) => queue("readwrite", (s) => s.put(item));
const all = () => queue("readonly", (s) => s.getAll());
const remove = (id) => queue("readwrite", (s) => s.delete(id));
const clear = () => queue("readwrite", (s) => s.clear());
