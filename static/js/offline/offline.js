// Offline quick entry (issue 17, docs/decisions.md 2026-12-04): entries made without a network wait in
// this device's IndexedDB outbox and are sent in order when the network returns, each with its own id so a
// repeated send never makes a second record. Pages and strings come from #offline-status (no inline script).
(function () {
  "use strict";
  const root = document.getElementById("offline-status");
  if (!root) {
    return;
  }
  const DB_NAME = "guanai-offline";
  const STORE = "outbox";
  const CACHE_PREFIX = "guanai-";

  function text(key, n) {
    return (root.getAttribute("data-t-" + key) || "").replace("%(n)s", String(n));
  }

  function clearCaches() {
    if (!window.caches) {
      return Promise.resolve();
    }
    return caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k.indexOf(CACHE_PREFIX) === 0; }).map(function (k) {
        return caches.delete(k);
      }));
    });
  }

  // The sign-in page: a session ended (logout or expiry). The pages kept for offline use go; the
  // entries still waiting stay for the same user's next sign-in (see decisions), never for another one.
  const SIGNED_OUT = "guanai-signed-out";
  const PREPARED = "guanai-prepared";
  if (root.getAttribute("data-mode") === "signed-out") {
    clearCaches();
    localStorage.removeItem(PREPARED);
    if (sessionStorage.getItem(SIGNED_OUT)) {
      // the user signed out (not an expiry): the outbox goes too, where Clear-Site-Data did not apply
      indexedDB.deleteDatabase(DB_NAME);
      sessionStorage.removeItem(SIGNED_OUT);
    }
    return;
  }

  const user = root.getAttribute("data-user");
  const badge = root.querySelector("[data-testid=offline-badge]");
  let expired = false;
  let csrfFailed = false;
  let sentNow = 0;
  let waiting = 0;  // entries on the device (pending or sent back), for the sign-out question

  // --- the device store ------------------------------------------------------------------------
  function openDb() {
    return new Promise(function (resolve, reject) {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "client_id" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        const transaction = db.transaction(STORE, mode);
        const request = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () {
          db.close();
          resolve(request ? request.result : undefined);
        };
        transaction.onerror = function () {
          db.close();
          reject(transaction.error);
        };
      });
    });
  }

  function allEntries() {
    return withStore("readonly", function (store) { return store.getAll(); }).then(function (rows) {
      return rows.sort(function (a, b) { return a.seq - b.seq; });
    });
  }

  // Entries of another account that signed in on this phone are not shown nor sent: they are removed.
  function entries() {
    return allEntries().then(function (rows) {
      const foreign = rows.filter(function (e) { return e.user !== user; });
      const removal = foreign.length ? Promise.all(foreign.map(function (e) { return remove(e.client_id); })) : null;
      return Promise.resolve(removal).then(function () {
        return rows.filter(function (e) { return e.user === user; });
      });
    });
  }

  function getEntry(id) {
    return withStore("readonly", function (store) { return store.get(id); });
  }

  function put(entry) {
    return withStore("readwrite", function (store) { return store.put(entry); });
  }

  function remove(id) {
    return withStore("readwrite", function (store) { return store.delete(id); });
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, function (x) { return x.toString(16).padStart(2, "0"); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // --- the badge ---------------------------------------------------------------------------------
  function refresh() {
    return entries().then(function (rows) {
      const pending = rows.filter(function (e) { return e.state === "pending"; }).length;
      const refused = rows.length - pending;
      waiting = rows.length;
      const parts = [];
      if (!navigator.onLine) {
        parts.push(text("offline"));
      }
      if (pending) {
        parts.push(text("pending", pending));
      }
      if (refused) {
        parts.push(text("refused", refused));
      }
      if (expired) {
        parts.push(text("expired"));
      } else if (csrfFailed) {
        parts.push(text("csrf"));
      }
      if (sentNow && !pending) {
        parts.push(text("sent", sentNow));
      }
      if (badge) {
        badge.textContent = parts.join(" · ");
        badge.hidden = parts.length === 0;
        badge.classList.toggle("text-bg-warning", !refused && !expired);
        badge.classList.toggle("text-bg-danger", Boolean(refused || expired));
      }
      document.dispatchEvent(new CustomEvent("guanai:outbox", { detail: rows }));
      return rows;
    });
  }

  // --- sending -----------------------------------------------------------------------------------
  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) {
      return decodeURIComponent(match[1]);
    }
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  let flushing = null;

  function send(entry) {
    return fetch(root.getAttribute("data-sync"), {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
      body: JSON.stringify({
        client_id: entry.client_id,
        kind: entry.kind,
        object: entry.object,
        fields: entry.fields,
        base_version: entry.base_version,
      }),
    });
  }

  function isJson(response) {
    return (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
  }

  // One entry after the other, in the order they were saved; a network error stops the run (the
  // entry stays pending), an answer of the server settles the entry.
  function flushOnce() {
    return entries().then(function (rows) {
      const pending = rows.filter(function (e) { return e.state === "pending"; });
      let chain = Promise.resolve(true);
      pending.forEach(function (entry) {
        chain = chain.then(function (go) {
          if (!go) {
            return false;
          }
          return send(entry).then(function (response) {
            if (response.type === "opaqueredirect" || response.status === 401) {
              expired = true;  // the session ended: sign in again, the entries wait
              return clearCaches().then(function () { return false; });
            }
            if (!isJson(response)) {
              if (response.status === 403) {
                csrfFailed = true;
              }
              return false;  // a CSRF page or a server error: try again later
            }
            return response.json().then(function (body) {
              if (response.status === 200 || response.status === 201) {
                sentNow += 1;
                return remove(entry.client_id).then(function () { return true; });
              }
              if (response.status === 409) {
                entry.state = "conflict";
                entry.current = body.current;
                entry.server_version = body.version;
              } else if (response.status >= 500) {
                return false;
              } else {
                entry.state = "refused";
                entry.errors = body.errors || {};
              }
              return put(entry).then(function () { return true; });
            });
          }, function () { return false; });
        });
      });
      return chain;
    });
  }

  function flush() {
    if (!navigator.onLine) {
      return refresh();
    }
    if (!flushing) {
      expired = false;
      csrfFailed = false;
      flushing = flushOnce().then(refresh, refresh).then(function (rows) {
        flushing = null;
        return rows;
      });
    }
    return flushing;
  }

  // --- saving a form on the device ---------------------------------------------------------------
  function fieldsOf(elements) {
    const fields = {};
    elements.forEach(function (el) {
      if (!el.name || el.disabled || el.name === "csrfmiddlewaretoken" || el.type === "submit" || el.type === "button") {
        return;
      }
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) {
        return;
      }
      const values = el.tagName === "SELECT" && el.multiple
        ? Array.from(el.selectedOptions, function (o) { return o.value; })
        : [el.value];
      values.forEach(function (value) {
        if (fields[el.name] === undefined) {
          fields[el.name] = value;
        } else {
          fields[el.name] = [].concat(fields[el.name], value);
        }
      });
    });
    return fields;
  }

  function fillIn(elements, fields) {
    elements.forEach(function (el) {
      if (!el.name || !(el.name in fields) || el.name === "csrfmiddlewaretoken") {
        return;
      }
      const values = [].concat(fields[el.name]).map(String);
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = values.indexOf(el.value) !== -1;
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.from(el.options).forEach(function (o) { o.selected = values.indexOf(o.value) !== -1; });
      } else if (el.type !== "submit" && el.type !== "button") {
        el.value = values[0];
      }
    });
  }

  const editing = new URLSearchParams(location.search).get("offline_edit");

  function notice(form, message, kind) {
    let box = form.querySelector("[data-offline-notice]");
    if (!box) {
      box = document.createElement("div");
      box.setAttribute("data-offline-notice", "");
      box.setAttribute("role", "status");
      form.prepend(box);
    }
    box.className = "alert alert-" + (kind || "info");
    box.textContent = message;
  }

  function save(form, fields, object, baseVersion, title) {
    const id = editing || newId();
    return getEntry(id).then(function (old) {
      const entry = {
        client_id: id,
        seq: old ? old.seq : Date.now() * 1000 + Math.floor(Math.random() * 1000),
        user: user,
        kind: form.getAttribute("data-offline-kind"),
        object: object,
        title: title,
        page: location.pathname,
        fields: fields,
        base_version: baseVersion,
        state: "pending",
        errors: {},
        saved_at: new Date().toISOString(),
      };
      return put(entry);
    });
  }

  function afterSave(form) {
    form.dispatchEvent(new CustomEvent("guanai:saved", { bubbles: true }));
    if (editing) {
      return flush().then(function () { location.assign(root.getAttribute("data-outbox")); });
    }
    notice(form, text("queued"), "success");
    return refresh();
  }

  document.addEventListener("submit", function (event) {
    const form = event.target.closest("form[data-offline-kind]");
    if (!form || (navigator.onLine && !editing)) {
      return;  // online: the page's own form, as always
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    if (form.getAttribute("data-offline-kind") === "score") {
      notice(form, text("whole-form"), "warning");
      return;
    }
    const fields = fieldsOf(Array.from(form.elements));
    save(form, fields, form.getAttribute("data-offline-object"), null, form.getAttribute("data-offline-title"))
      .then(function () {
        if (!editing) {
          form.reset();
        }
        return afterSave(form);
      });
  }, true);

  // Scoring: each item's own button saves that item (htmx online); offline it goes to the outbox
  // with the item's version, so a score changed meanwhile by someone else comes back as a conflict.
  document.addEventListener("click", function (event) {
    const button = event.target.closest("form[data-offline-kind=score] button[name=item]");
    if (!button || (navigator.onLine && !editing)) {
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    const form = button.form;
    const card = document.getElementById("item-" + button.value);
    const fields = fieldsOf(Array.from(card.querySelectorAll("input, select, textarea")));
    fields.item = button.value;
    const code = card.querySelector(".fw-semibold");
    const title = form.getAttribute("data-offline-title") + " · " + (code ? code.textContent.split(".")[0] : "");
    save(form, fields, form.getAttribute("data-offline-object"), card.getAttribute("data-version"), title)
      .then(function () { return afterSave(form); });
  }, true);

  // Editing an entry the server sent back: the page's form is filled with what was typed.
  if (editing) {
    getEntry(editing).then(function (entry) {
      const form = document.querySelector("form[data-offline-kind]");
      if (!entry || !form) {
        return;
      }
      const reasons = Object.values(entry.errors || {}).flat().join("；");
      notice(form, text("editing") + (reasons ? " " + reasons : ""), "warning");
      if (entry.kind === "score") {
        const card = document.getElementById("item-" + entry.fields.item);
        if (card) {
          fillIn(Array.from(card.querySelectorAll("input, select, textarea")), entry.fields);
          card.scrollIntoView();
        }
      } else {
        fillIn(Array.from(form.elements), entry.fields);
      }
    });
  }

  // --- the service worker: pages kept for offline use --------------------------------------------
  function prepare() {
    if (root.getAttribute("data-prepare") !== "1" || !("serviceWorker" in navigator) || !window.isSecureContext) {
      return;  // without HTTPS the pages stay the normal online forms (docs/operations.md)
    }
    const link = document.createElement("link");
    link.rel = "manifest";
    link.href = root.getAttribute("data-manifest");
    document.head.appendChild(link);
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "prepared") {
        localStorage.setItem(PREPARED, JSON.stringify({ user: user, at: Date.now() }));
        root.setAttribute("data-prepared", "1");
      }
    });
    navigator.serviceWorker.register(root.getAttribute("data-sw"), { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      let last = null;
      try {
        last = JSON.parse(localStorage.getItem(PREPARED) || "null");
      } catch (error) {
        last = null;
      }
      if (last && last.user === user && Date.now() - last.at < 10 * 60 * 1000) {
        root.setAttribute("data-prepared", "1");
        return;  // kept pages are fresh enough; visited pages are refreshed by the worker anyway
      }
      if (!navigator.onLine) {
        return;
      }
      return fetch(root.getAttribute("data-pages"), { credentials: "same-origin", redirect: "manual" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (list) {
          if (list && registration.active) {
            registration.active.postMessage({
              type: "prepare",
              pages: list.pages,
              assets: list.assets,
              missing: text("page-missing"),
            });
          }
        });
    }).catch(function () { /* the forms keep working online */ });
  }

  // Sign-out: entries not sent yet are named in a question first, so none is lost without the user's
  // word. The form then posts at once; the answer's Clear-Site-Data empties caches, storage and the
  // service worker (secure contexts), and the sign-in page deletes what is left (flag above).
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (form.getAttribute("action") !== root.getAttribute("data-logout")) {
      return;
    }
    if (waiting && !window.confirm(text("logout-confirm", waiting))) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    sessionStorage.setItem(SIGNED_OUT, "1");
    clearCaches();
  }, true);

  window.guanaiOffline = { entries: entries, put: put, remove: remove, flush: flush, refresh: refresh };
  window.addEventListener("online", flush);
  window.addEventListener("offline", refresh);
  prepare();
  flush();
})();
