// The annotate screen's keyboard and its care for unsaved choices.
// Shortcuts are declared on the controls themselves (data-key="..."); this file only finds the
// control for a key and presses it. Keys do nothing while the annotator types in a text field.
(function () {
  "use strict";

  const TEXT_INPUT = "textarea, select, [contenteditable], input:not([type]), input[type=text], input[type=search]";

  function workspace() { return document.getElementById("workspace"); }
  function labelForm() { return document.getElementById("label-form"); }
  function skipForm() { return document.getElementById("skip-form"); }

  function say(message) {
    const status = document.getElementById("status");
    status.textContent = message;
    status.hidden = !message;
  }

  // Conditional fields: a fieldset with data-show-if-field is shown (and submitted) only while
  // the field it depends on has a value outside data-show-if-not-in.
  function applyConditions() {
    const form = labelForm();
    if (!form) return;
    for (let pass = 0; pass < 3; pass++) {  // dependencies of dependencies settle in a few passes
      form.querySelectorAll("fieldset[data-show-if-field]").forEach((fieldset) => {
        const controlling = form.querySelector(`fieldset[data-field="${fieldset.dataset.showIfField}"]`);
        const chosen = controlling && !controlling.disabled
          ? controlling.querySelector("input[type=radio]:checked") : null;
        const excluded = JSON.parse(fieldset.dataset.showIfNotIn || "[]");
        const shown = chosen !== null && !excluded.includes(chosen.value);
        fieldset.hidden = !shown;
        fieldset.disabled = !shown;
      });
    }
  }

  function usable(element) {
    return !element.disabled && !element.closest("[hidden], fieldset:disabled, dialog:not([open])");
  }

  // The control a key presses: among the usable ones showing that key, an option of a field
  // that has no value yet comes first (two fields may share a key).
  function controlFor(key) {
    const candidates = Array.from(document.querySelectorAll("[data-key]"))
      .filter((element) => element.dataset.key.toLowerCase() === key.toLowerCase() && usable(element));
    const unanswered = candidates.find((element) => element.type === "radio"
      && !element.closest("fieldset").querySelector("input[type=radio]:checked"));
    return unanswered || candidates[0] || null;
  }

  function press(control) {
    if (control.matches(TEXT_INPUT)) {
      control.focus();
    } else {
      control.click();
    }
  }

  function toggleSkip(open) {
    const form = skipForm();
    if (!form) return;
    form.hidden = !open;
    if (open) form.querySelector("input[name=reason]").focus();
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (event.target.closest && event.target.closest(TEXT_INPUT)) {
      if (event.key === "Escape") {
        event.target.blur();
        if (event.target.closest("#skip-form")) toggleSkip(false);
      }
      return;  // typing: keys are text
    }
    if (document.querySelector("dialog[open]")) return;  // Esc closes it
    if (event.key === "Enter") {
      const form = labelForm();
      if (form && event.target.tagName !== "BUTTON" && event.target.tagName !== "A") {
        event.preventDefault();
        form.requestSubmit();
      }
      return;
    }
    const control = controlFor(event.key);
    if (control) {
      event.preventDefault();
      press(control);
    }
  });

  document.addEventListener("click", (event) => {
    const opener = event.target.closest("[data-dialog]");
    if (opener) document.getElementById(opener.dataset.dialog).showModal();
    const action = event.target.closest("[data-action]");
    if (action) toggleSkip(action.dataset.action === "skip");
  });

  document.addEventListener("change", (event) => {
    if (event.target.closest("#label-form")) applyConditions();
  });

  // The annotator's clock goes with each submit, for the audit trail (htmx or not).
  document.addEventListener("submit", (event) => {
    const clock = event.target.querySelector("input[name=client_time]");
    if (clock) clock.value = new Date().toISOString();
  });
  document.addEventListener("htmx:configRequest", (event) => {
    if (event.detail.elt.id === "label-form") {
      event.detail.parameters.client_time = new Date().toISOString();
    }
  });

  // A submit that fails leaves the workspace as it is, choices included, and says so.
  document.addEventListener("htmx:sendError", () => {
    say("Not saved: the server could not be reached. Your choices are still here; press Enter to try again.");
  });
  document.addEventListener("htmx:responseError", (event) => {
    const status = event.detail.xhr.status;
    const why = status === 401 ? "you are signed out; sign in again in another tab"
      : status === 400 ? "the page is out of date; copy your note if you wrote one and reload"
      : `the server answered ${status}`;
    say(`Not saved: ${why}. Your choices are still here; press Enter to try again.`);
  });
  document.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target.id === "workspace" || event.detail.elt.id === "workspace") {
      say("");
      applyConditions();
    }
  });

  document.addEventListener("DOMContentLoaded", applyConditions);
})();
