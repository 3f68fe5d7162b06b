// Keyboard for the inbox: j/k move, e edit, p publish, r reject. No inline script: the page's
// Content-Security-Policy allows scripts from this site only.
(function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-item]"));
  if (!rows.length) { return; }
  var current = 0;
  function select(i) {
    rows[current].classList.remove("current");
    current = Math.max(0, Math.min(rows.length - 1, i));
    rows[current].classList.add("current");
    rows[current].scrollIntoView({ block: "nearest" });
    var link = rows[current].querySelector("a.edit-link");
    if (link) { link.focus({ preventScroll: true }); }
  }
  function submit(action) {
    var form = rows[current].querySelector('form[data-action="' + action + '"]');
    if (form) { form.submit(); }
  }
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) { return; }
    switch (event.key) {
      case "j": select(current + 1); break;
      case "k": select(current - 1); break;
      case "e": var link = rows[current].querySelector("a.edit-link"); if (link) { window.location = link.href; } break;
      case "p": submit("publish"); break;
      case "r": submit("reject"); break;
      default: return;
    }
    event.preventDefault();
  });
  select(0);
})();
