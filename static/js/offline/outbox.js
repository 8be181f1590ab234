// The outbox page: entries waiting on this phone and those the server sent back, with the reasons and
// what the user can do (edit and resend, keep mine / take theirs for a scoring conflict, delete).
(function () {
  "use strict";
  const box = document.getElementById("outbox");
  if (!box || !window.guanaiOffline) {
    return;
  }
  const store = window.guanaiOffline;
  const kinds = {};
  (box.getAttribute("data-kinds") || "").split(";").forEach(function (pair) {
    const at = pair.indexOf("=");
    if (at > 0) {
      kinds[pair.slice(0, at)] = pair.slice(at + 1);
    }
  });

  function t(key) {
    return box.getAttribute("data-t-" + key) || "";
  }

  function element(tag, className, content) {
    const el = document.createElement(tag);
    if (className) {
      el.className = className;
    }
    if (content !== undefined) {
      el.textContent = content;
    }
    return el;
  }

  function button(label, className, action, testid) {
    const b = element("button", "btn btn-sm " + className, label);
    b.type = "button";
    b.setAttribute("data-testid", testid);
    b.addEventListener("click", action);
    return b;
  }

  function values(list) {
    return [].concat(list === undefined || list === null ? [] : list).map(function (v) {
      return v === null ? "—" : String(v);
    }).join("、");
  }

  function mine(entry) {
    const item = entry.fields.item;
    const typed = Object.keys(entry.fields).filter(function (name) {
      return name.indexOf("v_" + item + "_") === 0;
    }).sort().map(function (name) { return entry.fields[name]; });
    return values(typed);
  }

  function row(entry) {
    const card = element("div", "card mb-2");
    card.setAttribute("data-testid", "outbox-entry");
    card.setAttribute("data-state", entry.state);
    const body = element("div", "card-body p-2");
    const head = element("div", "d-flex justify-content-between gap-2");
    head.append(element("span", "fw-semibold", (kinds[entry.kind] || entry.kind) + " · " + (entry.title || "")));
    const state = element("span", "badge " + (entry.state === "pending" ? "text-bg-secondary" : "text-bg-danger"), t(entry.state));
    head.append(state);
    body.append(head);
    body.append(element("div", "small text-muted", t("saved-at") + " " + new Date(entry.saved_at).toLocaleString("zh-CN")));
    const reasons = Object.values(entry.errors || {}).flat();
    if (reasons.length) {
      const list = element("ul", "small text-danger mb-1 mt-1");
      list.setAttribute("data-testid", "outbox-reasons");
      reasons.forEach(function (reason) { list.append(element("li", "", reason)); });
      body.append(list);
    }
    const actions = element("div", "d-flex flex-wrap gap-2 mt-1");
    if (entry.state === "conflict") {
      const current = entry.current || {};
      const theirs = t("theirs").replace("%(values)s", values(current.values)).replace("%(by)s", current.by || "—")
        .replace("%(at)s", current.at || "—");
      const conflict = element("div", "small mt-1");
      conflict.setAttribute("data-testid", "outbox-conflict");
      conflict.append(element("div", "", theirs));
      conflict.append(element("div", "", t("mine").replace("%(values)s", mine(entry))));
      body.append(conflict);
      actions.append(button(t("keep-mine"), "btn-primary", function () {
        entry.base_version = entry.server_version;  // the user has seen theirs and chooses to replace it
        entry.state = "pending";
        entry.current = null;
        store.put(entry).then(store.flush).then(draw);
      }, "keep-mine"));
      actions.append(button(t("take-theirs"), "btn-outline-secondary", function () {
        store.remove(entry.client_id).then(store.refresh).then(draw);
      }, "take-theirs"));
    } else if (entry.state === "refused") {
      const edit = element("a", "btn btn-sm btn-primary", t("edit"));
      edit.href = entry.page + "?offline_edit=" + encodeURIComponent(entry.client_id);
      edit.setAttribute("data-testid", "outbox-edit");
      actions.append(edit);
    } else if (navigator.onLine) {
      actions.append(button(t("send"), "btn-outline-primary", function () { store.flush().then(draw); }, "outbox-send"));
    }
    actions.append(button(t("delete"), "btn-outline-danger", function () {
      if (window.confirm(t("delete-confirm"))) {
        store.remove(entry.client_id).then(store.refresh).then(draw);
      }
    }, "outbox-delete"));
    body.append(actions);
    card.append(body);
    return card;
  }

  function draw() {
    return store.entries().then(function (rows) {
      box.replaceChildren();
      if (!rows.length) {
        const empty = element("p", "text-muted", t("empty"));
        empty.setAttribute("data-testid", "outbox-empty");
        box.append(empty);
      }
      rows.forEach(function (entry) { box.append(row(entry)); });
    });
  }

  document.addEventListener("guanai:outbox", draw);
  draw();
})();
