// Small behaviours without inline scripts (CSP: script-src 'self').
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});

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
