// The annotate and review screens: the keyboard, conditional fields, the dialogs, and the care
// that nothing the user chose is lost.
// - Shortcuts are declared on the controls themselves (data-key="..."); this file only finds the
//   control for a key and presses it. Keys do nothing while the user types in a text field.
// - Every change to a form that has data-draft-key is kept in this browser (localStorage) until
//   the server acknowledges it, so a reload, a closed tab or an ended session loses nothing.
// - A send refused because the session ended (signed out, signed in again elsewhere, cookies
//   cleared, password reset) asks the server who this browser is now; signed in as the page's
//   user, it sends again with the new session's token; otherwise it says how to sign in.
// - A send answered 503 (the server's database restarting, or its disk full: nothing was
//   stored) is sent again by itself, after the server's Retry-After and then longer waits,
//   until the server acknowledges it; the choices stay on screen and in this browser.
(function () {
  "use strict";

  const TEXT_INPUT = "textarea, select, [contenteditable], input:not([type]), input[type=text], input[type=search], "
    + "input[type=url], input[type=number]";
  const DRAFT_PREFIX = "annotator-draft:";
  const DRAFT_MAX_AGE_MS = 30 * 24 * 3600 * 1000;

  function workspace() { return document.getElementById("workspace"); }
  function labelForm() { return document.getElementById("label-form"); }
  function skipForm() { return document.getElementById("skip-form"); }
  function meta(name) { const tag = document.querySelector(`meta[name="${name}"]`); return tag ? tag.content : null; }
  function pageUser() { return Number(document.body.dataset.userId || 0); }
  // Span and evidence fields (static/js/spans.js), or nothing on a page without them.
  function spans() {
    return window.annotatorSpans || { init() {}, rebuild() {}, handleKey: () => false, inactive: () => false };
  }

  // --- messages ----------------------------------------------------------------------------

  // `parts` are strings and {href, text, newTab} links, put together as text (never as HTML).
  function say(...parts) {
    const status = document.getElementById("status");
    if (!status) return;
    status.replaceChildren(...parts.map((part) => {
      if (typeof part === "string") return document.createTextNode(part);
      const link = document.createElement("a");
      link.href = part.href;
      link.textContent = part.text;
      if (part.newTab) { link.target = "_blank"; link.rel = "noopener"; }
      return link;
    }));
    status.hidden = parts.length === 0 || (parts.length === 1 && !parts[0]);
  }

  function notice(message) {
    const element = document.getElementById("notice");
    if (!element) return;
    element.textContent = message;
    element.hidden = !message;
  }

  // --- conditional fields ------------------------------------------------------------------

  // The schema's one rule for `show_if` (annotator/schema/condition.py), given as data on each
  // conditional fieldset: asked while the controlling field's chosen values include one
  // outside not_in.
  function conditionHolds(rule, chosenValues) {
    return chosenValues.some((value) => !rule.not_in.includes(value));
  }

  function chosenValues(fieldset) {
    if (!fieldset || fieldset.disabled) return [];
    return Array.from(fieldset.querySelectorAll("input:checked")).map((input) => input.value);
  }

  // A conditional fieldset is shown (and submitted) only while its condition holds.
  function applyConditions() {
    const form = labelForm();
    if (!form) return;
    for (let pass = 0; pass < 3; pass++) {  // dependencies of dependencies settle in a few passes
      form.querySelectorAll("fieldset[data-field][data-show-if]").forEach((fieldset) => {
        const rule = JSON.parse(fieldset.dataset.showIf);
        const shown = conditionHolds(rule, chosenValues(form.querySelector(`fieldset[data-field="${rule.field}"]`)));
        fieldset.hidden = !shown;
        fieldset.disabled = !shown;
      });
    }
  }
  window.annotatorConditionHolds = conditionHolds;  // the browser tests hold it to the server's rule

  // The reading pane scrolls on its own beside the decision: it starts with the passage to
  // label in view, below a little of the text before it.
  function showCurrentPassage() {
    const current = document.getElementById("current-passage");
    const pane = current && current.closest(".reading");
    if (!pane || pane.scrollHeight <= pane.clientHeight) return;
    pane.scrollTop += current.getBoundingClientRect().top - pane.getBoundingClientRect().top - 48;
  }

  // --- drafts ------------------------------------------------------------------------------

  function storage() {
    try { return window.localStorage; } catch (error) { return null; }
  }

  // Every field's answer as the form holds it, read by the kind of input (never by the field's
  // type, so a new field type drawn with these inputs needs nothing here): a radio's value, a
  // list for a field's check boxes, a field's text, the JSON a span or evidence field keeps in
  // its hidden input (name -> value; lists and texts as they are). A span's own controls are
  // part of its field's JSON.
  const TEXT_INPUTS = "fieldset[data-field] textarea[name^='label-'], fieldset[data-field] input[type=text][name^='label-']";
  const JSON_ANSWERS = "fieldset[data-field] > input[type=hidden][name^='label-']";

  function choicesOf(form) {
    const labels = {};
    form.querySelectorAll("input[type=radio][name^='label-']:checked").forEach((radio) => { labels[radio.name] = radio.value; });
    form.querySelectorAll("fieldset[data-field]").forEach((fieldset) => {
      if (fieldset.querySelector(":scope > .options input[type=checkbox]")) labels[`label-${fieldset.dataset.field}`] = chosenValues(fieldset);
    });
    form.querySelectorAll(TEXT_INPUTS).forEach((text) => { labels[text.name] = text.value; });
    form.querySelectorAll(JSON_ANSWERS).forEach((hidden) => { labels[hidden.name] = hidden.value; });
    const note = form.querySelector("textarea[name=note]");
    const unsure = form.querySelector("input[name=unsure]");
    return { labels, note: note ? note.value : "", unsure: unsure ? unsure.checked : false };
  }

  function sameChoices(a, b) {
    return JSON.stringify([a.labels, a.note, a.unsure]) === JSON.stringify([b.labels, b.note, b.unsure]);
  }

  function saveDraft(form) {
    const store = storage();
    if (!store || !form.dataset.draftKey) return;
    try {
      store.setItem(DRAFT_PREFIX + form.dataset.draftKey, JSON.stringify({ ...choicesOf(form), saved: Date.now() }));
    } catch (error) { /* storage full or refused: the choices are still on screen */ }
  }

  function forgetDraft(key) {
    const store = storage();
    if (store && key) store.removeItem(DRAFT_PREFIX + key);
  }

  function readDraft(key) {
    const store = storage();
    if (!store || !key) return null;
    try {
      const draft = JSON.parse(store.getItem(DRAFT_PREFIX + key));
      return draft && Date.now() - draft.saved < DRAFT_MAX_AGE_MS ? draft : null;
    } catch (error) { return null; }
  }

  // The unsent choices of this form's passage, if the browser kept some that differ from
  // what the server shows, are put back and the user is told.
  function restoreDraft(form) {
    const draft = readDraft(form.dataset.draftKey);
    if (!draft || sameChoices(draft, choicesOf(form))) return;
    setAnswers(form, draft.labels);
    const note = form.querySelector("textarea[name=note]");
    if (note) note.value = draft.note || "";
    const unsure = form.querySelector("input[name=unsure]");
    if (unsure) unsure.checked = Boolean(draft.unsure);
    applyConditions();
    notice("Your unsent choices for this passage are back: they were kept in this browser. Press Enter to send them.");
  }

  // Put answers (form name -> value, list or text) into the form's fields.
  function setAnswers(form, labels) {
    form.querySelectorAll("input[name^='label-']:not([type=hidden])").forEach((input) => {
      const value = labels[input.name];
      input.checked = Array.isArray(value) ? value.includes(input.value) : value === input.value;
    });
    form.querySelectorAll(TEXT_INPUTS).forEach((text) => { text.value = labels[text.name] || ""; });
    form.querySelectorAll(JSON_ANSWERS).forEach((hidden) => {
      const value = labels[hidden.name];
      hidden.value = value === undefined || value === null || value === "" ? ""
        : typeof value === "string" ? value : JSON.stringify(value);
      spans().rebuild(hidden);
    });
  }

  function forgetOldDrafts() {
    const store = storage();
    if (!store) return;
    Object.keys(store).filter((key) => key.startsWith(DRAFT_PREFIX)).forEach((key) => {
      if (!readDraft(key.slice(DRAFT_PREFIX.length))) store.removeItem(key);
    });
  }

  // --- the session behind the page ---------------------------------------------------------

  let sessionEnded = false;  // a send failed in a way a new sign-in may fix

  async function renewSession() {
    const response = await fetch(meta("session-url"), { credentials: "same-origin", cache: "no-store",
                                                        headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`session check answered ${response.status}`);
    const state = await response.json();
    setToken(state.csrf_token);
    return state;
  }

  function setToken(token) {
    if (!token) return;
    document.querySelectorAll("input[name=csrf_token]").forEach((input) => { input.value = token; });
    const tag = document.querySelector("meta[name=csrf-token]");
    if (tag) tag.content = token;
    document.body.setAttribute("hx-headers", JSON.stringify({ "X-CSRFToken": token }));
  }

  function signInLinks() {
    const login = meta("login-url");
    return [{ href: login, text: "sign in again in a new tab", newTab: true }, " (then come back here) or ",
            { href: login, text: "here" }, " (your choices are kept in this browser)"];
  }

  // Why a send was refused, and what to do; true when it can simply be sent again now.
  function explain(state) {
    if (!state.signed_in) {
      say("Not saved: you are signed out. Your choices are still here: ", ...signInLinks(), ", then press Enter.");
      return false;
    }
    if (state.user_id !== pageUser()) {
      say(`Not saved: this browser is now signed in as ${state.username}, not as the annotator who opened this page. `,
          "To send these choices, ", ...signInLinks(), " as yourself, then press Enter.");
      return false;
    }
    return true;
  }

  // Send the form; first renew the session if the last send was refused for it.
  async function send(form) {
    delete form.dataset.resent;
    stopWaiting();
    if (sessionEnded) {
      let state;
      try { state = await renewSession(); } catch (error) { say(unreachable()); return; }
      if (!explain(state)) return;
      sessionEnded = false;
    }
    say();
    form.requestSubmit();
  }

  function unreachable() {
    return "Not saved: the server could not be reached. Your choices are still here; press Enter to try again.";
  }

  async function refused(form, status) {
    let state;
    try { state = await renewSession(); } catch (error) { say(unreachable()); return; }
    if (!explain(state)) { sessionEnded = true; return; }
    if (form && !form.dataset.resent) {  // the token was stale: once more, with the new one
      form.dataset.resent = "1";
      form.requestSubmit();
      return;
    }
    say(`Not saved: the server answered ${status}. Your choices are still here; press Enter to try again.`);
  }

  // --- a server that cannot store anything right now ---------------------------------------

  const RETRY_AFTER_DEFAULT_SECONDS = 5;
  const RETRY_LONGEST_SECONDS = 60;
  let retries = 0;  // sends answered 503 in a row
  let retryTimer = null;
  let waitingForm = null;  // the form that retryTimer sends

  // Wait as the server asks (Retry-After), and longer after each refusal (1, 2, 4 ... up to a
  // minute), with a little jitter so that a team's screens do not all come back at once.
  function retryDelaySeconds(xhr) {
    const asked = Number(xhr.getResponseHeader("Retry-After"));
    const wait = Math.max(asked > 0 ? asked : RETRY_AFTER_DEFAULT_SECONDS, 2 ** Math.min(retries - 1, 6));
    return Math.min(wait, RETRY_LONGEST_SECONDS) * (1 + Math.random() / 5);
  }

  function sendAgainLater(form, xhr) {
    stopWaiting();
    retries += 1;
    const seconds = retryDelaySeconds(xhr);
    waitingForm = form;
    retryTimer = setTimeout(() => {
      retryTimer = waitingForm = null;
      if (document.contains(form)) send(form);
    }, seconds * 1000);
    const when = `in ${Math.round(seconds)} s; Enter sends ${form === skipForm() ? "it" : "them"} now.`;
    say("The server cannot store anything right now (its database is unavailable). ", form === skipForm()
      ? `Not skipped yet: the skip is sent again by itself ${when}`
      : `Not saved yet: your choices are kept and are sent again by themselves ${when}`);
  }

  function stopWaiting() {
    if (retryTimer !== null) clearTimeout(retryTimer);
    retryTimer = waitingForm = null;
  }

  // Back in this tab after signing in elsewhere: ready to send at once.
  async function checkOnReturn() {
    if (!sessionEnded || document.visibilityState !== "visible") return;
    try {
      const state = await renewSession();
      if (explain(state)) {
        sessionEnded = false;
        say("Signed in again. Press Enter to send your choices.");
      }
    } catch (error) { /* still unreachable: the message stands */ }
  }

  // --- keys --------------------------------------------------------------------------------

  function usable(element) {
    return !element.disabled && !element.closest("[hidden], fieldset:disabled, dialog:not([open])")
      && !spans().inactive(element);
  }

  // The control a key presses: among the usable ones showing that key, an option of a field
  // that has no value yet comes first (two fields may share a key).
  function controlFor(key) {
    const candidates = Array.from(document.querySelectorAll("[data-key]"))
      .filter((element) => element.dataset.key.toLowerCase() === key.toLowerCase() && usable(element));
    const fieldOf = (element) => element.closest("fieldset[data-sub-field], fieldset[data-field]");
    const unanswered = candidates.find((element) => fieldOf(element)
      && (element.type === "radio" || element.type === "checkbox")
      && !fieldOf(element).querySelector("input:checked"));
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
    if (!open && waitingForm === form) {  // a skip waiting to be sent again is called off
      stopWaiting();
      say();
    }
  }

  // Where a key lands: focus left behind in a dialog that has just closed (its Close button)
  // belongs to the screen again.
  function keyTarget(event) {
    const target = event.target.closest ? event.target : document.body;
    if (target.closest("dialog:not([open])")) {
      target.blur();
      return document.body;
    }
    return target;
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    const target = keyTarget(event);
    if (target.closest(TEXT_INPUT)) {
      if (event.key === "Escape") {
        target.blur();
        if (target.closest("#skip-form")) toggleSkip(false);
      } else if (event.key === "Enter" && target.closest("#skip-form")) {
        event.preventDefault();
        send(skipForm());
      }
      return;  // typing: keys are text
    }
    if (document.querySelector("dialog[open]")) return;  // Esc closes it
    if (spans().handleKey(event)) return;  // marking a span: arrows, Enter and Esc are its own
    if (event.key === "Enter") {
      const form = labelForm();
      if (form && target.tagName !== "BUTTON" && target.tagName !== "A") {
        event.preventDefault();
        send(form);
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
    if (opener) openDialog(opener);
    const action = event.target.closest("[data-action]");
    if (action) toggleSkip(action.dataset.action === "skip");
    const answer = event.target.closest("[data-take-answer]");
    if (answer) takeAnswer(JSON.parse(answer.dataset.takeAnswer));
  });

  // The review screen: one annotator's whole answer as the starting point of the decision.
  function takeAnswer(labels) {
    const form = labelForm();
    setAnswers(form, Object.fromEntries(Object.entries(labels).map(([name, value]) => [`label-${name}`, value])));
    applyConditions();
    saveDraft(form);
  }

  // A dialog whose content depends on the passage (the whole document) loads it from the
  // opener's own data-dialog-src, read at the moment it is opened: never a document loaded
  // for an earlier passage, which is cleared first.
  function openDialog(opener) {
    const dialog = document.getElementById(opener.dataset.dialog);
    const body = dialog.querySelector("[data-loads]");
    if (body && opener.dataset.dialogSrc) {
      const loading = document.createElement("p");
      loading.textContent = "Loading…";
      body.replaceChildren(loading);
      htmx.ajax("GET", opener.dataset.dialogSrc, { target: body, swap: "innerHTML" });
    }
    dialog.showModal();
  }

  function keepDraft(event) {
    const form = event.target.closest && event.target.closest("form[data-draft-key]");
    if (form) saveDraft(form);
  }

  document.addEventListener("change", (event) => {
    if (event.target.closest("#label-form")) applyConditions();
    keepDraft(event);
  });
  document.addEventListener("input", keepDraft);

  // A form sent without htmx (the review decision) goes only once the session is known good.
  document.addEventListener("submit", (event) => {
    const clock = event.target.querySelector("input[name=client_time]");
    if (clock) clock.value = new Date().toISOString();
    const form = event.target;
    if (form.dataset.draftKey && !form.hasAttribute("hx-post") && !form.dataset.checked) {
      event.preventDefault();
      renewSession().then((state) => {
        if (!explain(state)) return;
        form.dataset.checked = "1";
        form.requestSubmit();
      }, () => say(unreachable()));
    }
  });

  // --- htmx --------------------------------------------------------------------------------

  // The annotator's clock goes with each submit, for the audit trail.
  document.addEventListener("htmx:configRequest", (event) => {
    if (event.detail.elt.id === "label-form") {
      event.detail.parameters.client_time = new Date().toISOString();
    }
  });

  // The server has the choices once it answers 2xx: the draft can go. The form that sent them
  // is the request's element: once the answer has replaced it, htmx tells its old ancestors
  // (event.detail.elt is then <main>).
  document.addEventListener("htmx:afterRequest", (event) => {
    const form = event.detail.requestConfig ? event.detail.requestConfig.elt : event.detail.elt;
    const status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status >= 200 && status < 300 && form.dataset) forgetDraft(form.dataset.draftKey || form.dataset.clearsDraft);
    if (status >= 200 && status < 300) retries = 0;
  });

  // A comment refused (422) or a thread someone else resolved or reopened meanwhile (409) comes
  // back as the discussion saying why: it replaces the thread like any answer.
  document.addEventListener("htmx:beforeSwap", (event) => {
    if (event.detail.target.id === "discussion" && [409, 422].includes(event.detail.xhr.status)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // A submit that fails leaves the workspace as it is, choices included, and says so.
  document.addEventListener("htmx:sendError", () => { say(unreachable()); });
  document.addEventListener("htmx:responseError", (event) => {
    const status = event.detail.xhr.status;
    const form = event.detail.elt.closest ? event.detail.elt.closest("form") : null;
    if (status === 400 || status === 401 || status === 403) {
      refused(form, status);
    } else if (status === 503 && event.detail.elt === form) {  // a submit or skip, not a link inside the form
      sendAgainLater(form, event.detail.xhr);
    } else if (status === 503) {
      say("The server cannot answer right now (its database is unavailable). Try again in a minute.");
    } else {
      say(`Not saved: the server answered ${status}. Your choices are still here; press Enter to try again.`);
    }
  });

  document.addEventListener("htmx:afterSwap", (event) => {
    const target = event.detail.target;
    if (target.id === "workspace" || event.detail.elt.id === "workspace") {
      say();
      notice("");
      spans().init();
      applyConditions();
      showCurrentPassage();
      const form = labelForm();
      if (form) restoreDraft(form);
    }
    if (target.id === "document-body") {
      const marked = target.querySelector(".marked");
      if (marked) marked.scrollIntoView({ block: "center" });
    }
  });

  // A closed dialog gives focus back to the button that opened it, where Enter would open it
  // again: the keys go back to the screen instead.
  document.addEventListener("close", (event) => {
    if (event.target.tagName === "DIALOG" && document.activeElement) document.activeElement.blur();
  }, true);

  document.addEventListener("visibilitychange", checkOnReturn);
  window.addEventListener("focus", checkOnReturn);

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-draft-saved]").forEach((element) => forgetDraft(element.dataset.draftSaved));
    forgetOldDrafts();
    spans().init();
    applyConditions();
    showCurrentPassage();
    const form = document.querySelector("form[data-draft-key]");
    if (form) restoreDraft(form);
  });
})();
