// The service worker of offline entry (issue 17), served at /sw.js so that it controls the site. Pages:
// network first, and the quick-entry pages the server listed for this user are kept for use without a
// network; static files: network first with the kept copy as fallback. Nothing else is stored.
"use strict";

const PAGES = "guanai-pages";
const ASSETS = "guanai-assets";
const META = "guanai-meta";
const ALLOWED = "/__offline__/allowed";
const MISSING = "/__offline__/missing";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("message", function (event) {
  const data = event.data || {};
  if (data.type === "prepare") {
    const source = event.source;
    event.waitUntil(prepare(data.pages || [], data.assets || [], data.missing || "").then(function () {
      if (source) {
        source.postMessage({ type: "prepared" });
      }
    }));
  } else if (data.type === "clear") {
    event.waitUntil(clearAll());
  }
});

function clearAll() {
  return Promise.all([caches.delete(PAGES), caches.delete(ASSETS), caches.delete(META)]);
}

async function prepare(pages, assets, missing) {
  const meta = await caches.open(META);
  await meta.put(ALLOWED, new Response(JSON.stringify(pages), { headers: { "Content-Type": "application/json" } }));
  await meta.put(MISSING, new Response(missing, { headers: { "Content-Type": "text/plain; charset=utf-8" } }));
  const assetCache = await caches.open(ASSETS);
  await Promise.all(assets.map(function (url) {
    return assetCache.add(url).catch(function () { return null; });
  }));
  const pageCache = await caches.open(PAGES);
  // a page no longer listed (a case closed, a round ended, another user) is dropped
  for (const request of await pageCache.keys()) {
    if (pages.indexOf(new URL(request.url).pathname) === -1) {
      await pageCache.delete(request);
    }
  }
  for (const url of pages) {
    try {
      const response = await fetch(url, { credentials: "same-origin", redirect: "manual" });
      if (response.ok && response.type === "basic") {
        await pageCache.put(url, response);
      }
    } catch (error) {
      // offline again: the page is kept next time
    }
  }
}

async function allowed() {
  const response = await (await caches.open(META)).match(ALLOWED);
  return response ? response.json() : [];
}

async function page(request) {
  const url = new URL(request.url);
  try {
    const response = await fetch(request);
    if (response.redirected && new URL(response.url).pathname.indexOf("/login/") === 0) {
      await clearPages();  // the session has ended: the kept pages go with it
    } else if (response.ok && !url.search && (await allowed()).indexOf(url.pathname) !== -1) {
      await (await caches.open(PAGES)).put(url.pathname, response.clone());
    }
    return response;
  } catch (error) {
    const kept = await (await caches.open(PAGES)).match(url.pathname);
    if (kept) {
      return kept;
    }
    const missing = await (await caches.open(META)).match(MISSING);
    const message = missing ? await missing.text() : "";
    return new Response(message, { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
}

function clearPages() {
  return Promise.all([caches.delete(PAGES), caches.delete(META)]);
}

async function asset(request) {
  try {
    return await fetch(request);
  } catch (error) {
    const kept = await caches.match(request, { ignoreSearch: true });
    if (kept) {
      return kept;
    }
    throw error;
  }
}

self.addEventListener("fetch", function (event) {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(asset(request));
  }
});
