// Small behaviours without inline scripts (CSP: script-src 'self').
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});

// Unsaved edits are not lost without a warning (issue 14 §3): a POST form whose fields were changed
// marks the page dirty until it is submitted; leaving the page then asks the browser's question.
// A form opts out with data-no-unsaved-warning (e.g. a one-field action form).
(function () {
  const dirty = new Set();
  function tracked(form) {
    return form && form.method && form.method.toLowerCase() === "post" && !form.hasAttribute("data-no-unsaved-warning");
  }
  function mark(event) {
    const form = event.target.form || event.target.closest("form");
    if (tracked(form) && event.target.type !== "hidden") {
      dirty.add(form);
    }
  }
  document.addEventListener("input", mark);
  document.addEventListener("change", mark);
  document.addEventListener("submit", function (event) {
    dirty.delete(event.target);
  });
  // a form saved on the device while offline (js/offline/offline.js) is not unsaved either
  document.addEventListener("guanai:saved", function (event) {
    dirty.delete(event.target);
  });
  document.addEventListener("htmx:afterSwap", function () {
    dirty.forEach(function (form) {
      if (!document.body.contains(form)) {
        dirty.delete(form);
      }
    });
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty.size > 0) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
// A field the browser finds invalid may sit in a closed <details> or a collapsed Bootstrap section:
// open it, so the browser can show its message on the field (`invalid` does not bubble: capture).
document.addEventListener("invalid", function (event) {
  for (let node = event.target.parentElement; node; node = node.parentElement) {
    if (node.tagName === "DETAILS" && !node.open) {
      node.open = true;
    } else if (node.classList.contains("collapse") && !node.classList.contains("show")) {
      node.classList.add("show");
      const toggles = node.id ? document.querySelectorAll('[data-bs-target="#' + node.id + '"]') : [];
      toggles.forEach(function (toggle) {
        toggle.classList.remove("collapsed");
        toggle.setAttribute("aria-expanded", "true");
      });
    }
  }
}, true);
