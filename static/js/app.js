// Small progressive enhancements on top of server-rendered pages and htmx.
// Everything works without this file; it adds unsaved-change warnings, focus
// management after inline edits, and a keyboard shortcut to save.
(function () {
  "use strict";

  const body = document.body;
  const unsavedMessage = () => body.dataset.unsavedMessage || "Unsaved changes";

  function markDirty(form, dirty) {
    if (dirty) {
      form.dataset.dirty = "1";
    } else {
      delete form.dataset.dirty;
    }
    const note = form.querySelector(".unsaved-note");
    if (note) {
      note.textContent = dirty ? note.dataset.text || "" : "";
    }
  }

  const watched = (el) => el && el.closest && el.closest("form[data-warn-unsaved]");

  document.addEventListener("input", (event) => {
    const form = watched(event.target);
    if (form) markDirty(form, true);
  });
  document.addEventListener("change", (event) => {
    const form = watched(event.target);
    if (form) markDirty(form, true);
  });
  document.addEventListener("submit", (event) => {
    const form = watched(event.target);
    if (form) markDirty(form, false);
  });
  document.addEventListener("htmx:beforeRequest", (event) => {
    const form = watched(event.detail.elt);
    if (form && event.detail.elt === form) markDirty(form, false);
  });

  // Leaving the page (a link, reload, closing the tab) with unsaved edits asks first.
  window.addEventListener("beforeunload", (event) => {
    if (document.querySelector("form[data-dirty]")) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // A request that would replace a block holding unsaved edits (cancel, move, refresh)
  // asks first. Submitting the form itself is of course fine.
  document.addEventListener("htmx:confirm", (event) => {
    const { elt, target, verb } = event.detail;
    if (!target) return;
    // Automatic refreshes (after an edit elsewhere on the page) wait while a form is open.
    if (elt.hasAttribute("data-refresh")) {
      if (target.querySelector("form")) event.preventDefault();
      return;
    }
    const ownForm = elt.closest("form");
    const forms = Array.from(target.querySelectorAll("form[data-dirty]"));
    if (target.matches("form[data-dirty]")) forms.push(target);
    const dirty = forms.filter((form) => !(form === ownForm && verb !== "get"));
    if (!dirty.length) return;
    event.preventDefault();
    if (window.confirm(unsavedMessage())) {
      dirty.forEach((form) => markDirty(form, false));
      event.detail.issueRequest(true);
    }
  });
  document.addEventListener("click", (event) => {
    // A cancel link without htmx (a plain navigation) is covered by beforeunload.
    const link = event.target.closest && event.target.closest("a[data-cancel]:not([hx-get])");
    const form = link && link.closest("form[data-dirty]");
    if (form && !window.confirm(unsavedMessage())) event.preventDefault();
    else if (form) markDirty(form, false);
  });

  // Ctrl+Enter (Cmd+Enter) saves the form the cursor is in.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    const form = watched(event.target);
    if (form) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  // The server names where focus goes after an inline save, and what to announce.
  body.addEventListener("tracker:focus", (event) => {
    const selector = event.detail && event.detail.value;
    const target = selector && document.querySelector(selector);
    if (target) target.focus();
  });
  body.addEventListener("tracker:announce", (event) => {
    const live = document.getElementById("live");
    if (live && event.detail && event.detail.value) {
      live.textContent = "";
      window.setTimeout(() => { live.textContent = event.detail.value; }, 50);
    }
  });
  document.addEventListener("htmx:responseError", () => {
    const live = document.getElementById("live");
    if (live) live.textContent = body.dataset.errorMessage || "Error";
  });
})();
