// Span and evidence fields on the annotate and review screens (loaded before annotate.js, which
// owns the keys, drafts and conditions and calls window.annotatorSpans).
// - The passage is drawn by the server as its words, each with its raw offsets in the document
//   (data-start, data-end): a span is the offsets of its first and last word, so it is always
//   snapped to whole words and needs no mapping here.
// - A span field's answer lives in its hidden input as JSON; the list of spans, their sub-field
//   controls (copied from the field's <template>) and the marks on the passage are drawn from
//   it, and every change is written back to it at once.
// - Marking: drag across words with the mouse (or tap a word, tap another, "Mark"); or the
//   field's key, then the arrows move a caret by word, Shift+arrows extend, Enter marks, Esc
//   cancels. Overlapping spans are drawn as underlines on separate layers, each numbered.
// - Evidence URLs are never loaded: a valid one becomes a link that a click opens in a new tab,
//   with no referrer.
(function () {
  "use strict";

  const LAYERS = 6;  // underline layers (and colours) before they repeat
  let lastId = 0;
  const state = new WeakMap();  // span fieldset -> {spans: [{id, start, end, text, item}], active}
  let marking = null;  // {widget, anchor, caret, replacing} while a span is being marked
  let drag = null;  // {widget, from, moved} while the mouse button is down on a word

  function labelForm() { return document.getElementById("label-form"); }
  function markedPassage() { return document.getElementById("current-passage"); }
  function wordsIn(container) { return container ? Array.from(container.querySelectorAll(".word")) : []; }
  function spanWidgets() {
    const form = labelForm();
    return form ? Array.from(form.querySelectorAll("fieldset[data-field][data-type=span]")) : [];
  }
  function hiddenOf(widget) { return widget.querySelector(":scope > input[data-spans]"); }

  // --- where spans lie among the words ---------------------------------------------------

  // The first and last word (indexes) a raw [start, end) covers; null if none.
  function wordRange(words, start, end) {
    let first = -1;
    let last = -1;
    words.forEach((word, index) => {
      if (Number(word.dataset.end) > start && Number(word.dataset.start) < end) {
        if (first < 0) first = index;
        last = index;
      }
    });
    return first < 0 ? null : [first, last];
  }

  // The text of words first..last as the passage shows it (the spaces between them included).
  function textBetween(words, first, last) {
    const range = document.createRange();
    range.setStartBefore(words[first]);
    range.setEndAfter(words[last]);
    const copy = range.cloneContents();
    copy.querySelectorAll(".span-bar, .span-number").forEach((mark) => mark.remove());
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function byPosition(a, b) { return a.start - b.start || a.end - b.end; }

  // Each span's layer: the lowest that no earlier overlapping span holds.
  function layersOf(spans) {
    const ends = [];
    const layers = new Map();
    spans.slice().sort(byPosition).forEach((span) => {
      let layer = ends.findIndex((end) => end <= span.start);
      if (layer < 0) { layer = ends.length; ends.push(0); }
      ends[layer] = span.end;
      layers.set(span, layer % LAYERS);
    });
    return layers;
  }

  // --- drawing on the passage ------------------------------------------------------------

  function clearMarks(container) {
    container.querySelectorAll(".span-bar, .span-number").forEach((mark) => mark.remove());
    wordsIn(container).forEach((word) => word.classList.remove("in-span", "active-span", "being-marked", "caret"));
  }

  // Underline each span's words on its layer, number it before its first word, and shade the
  // active span's words.
  function drawSpans(container, spans, activeId) {
    clearMarks(container);
    const words = wordsIn(container);
    const layers = layersOf(spans);
    spans.forEach((span, position) => {
      const range = wordRange(words, span.start, span.end);
      if (!range) return;
      const layer = layers.get(span);
      for (let index = range[0]; index <= range[1]; index++) {
        const bar = document.createElement("span");
        bar.className = `span-bar layer-${layer}`;
        bar.setAttribute("aria-hidden", "true");
        words[index].append(bar);
        words[index].classList.add("in-span");
        if (span.id !== undefined && span.id === activeId) words[index].classList.add("active-span");
      }
      const number = document.createElement("sup");
      number.className = `span-number layer-${layer}`;
      number.textContent = String(position + 1);
      number.dataset.spanId = span.id === undefined ? "" : String(span.id);
      number.setAttribute("aria-hidden", "true");
      words[range[0]].before(number);
      if (span.item) span.item.querySelector(".span-badge").className = `span-badge layer-${layer}`;
    });
  }

  function drawMarking() {
    if (!marking) return;
    const words = wordsIn(markedPassage());
    const [low, high] = [Math.min(marking.anchor, marking.caret), Math.max(marking.anchor, marking.caret)];
    for (let index = low; index <= high; index++) words[index].classList.add("being-marked");
    words[marking.caret].classList.add("caret");
    const said = marking.widget.querySelector("[data-marking-words]");
    said.textContent = `Marking: “${textBetween(words, low, high)}”`;
  }

  function redraw(widget) {
    const passage = markedPassage();
    const own = state.get(widget);
    if (!passage || !own) return;
    drawSpans(passage, own.spans, own.active);
    drawMarking();
    own.spans.forEach((span, position) => {
      span.item.querySelector(".span-badge").textContent = String(position + 1);
      span.item.querySelector(".span-text").textContent = span.text;
      span.item.classList.toggle("is-active", span.id === own.active);
      span.item.querySelector(".span-summary").textContent = summaryOf(span.item);
      span.item.setAttribute("aria-label", `Span ${position + 1}: ${span.text}`);
    });
  }

  // --- a span's sub-fields ---------------------------------------------------------------

  // The schema's show_if among a span's sub-fields, by the rule annotate.js holds.
  function applySubConditions(item) {
    const holds = window.annotatorConditionHolds || ((rule, values) => values.some((v) => !rule.not_in.includes(v)));
    for (let pass = 0; pass < 3; pass++) {
      item.querySelectorAll("fieldset[data-sub-field][data-show-if]").forEach((fieldset) => {
        const rule = JSON.parse(fieldset.dataset.showIf);
        const controller = item.querySelector(`fieldset[data-sub-field="${rule.field}"]`);
        const chosen = controller && !controller.disabled
          ? Array.from(controller.querySelectorAll("input:checked")).map((input) => input.value) : [];
        const shown = holds(rule, chosen);
        fieldset.hidden = !shown;
        fieldset.disabled = !shown;
      });
    }
  }

  function subLabelsOf(item) {
    applySubConditions(item);
    const labels = {};
    item.querySelectorAll("fieldset[data-sub-field]").forEach((fieldset) => {
      if (fieldset.disabled) return;
      const name = fieldset.dataset.subField;
      const type = fieldset.dataset.type;
      if (type === "evidence") {
        const records = parsed(fieldset.querySelector(":scope > input[data-evidence]").value);
        if (records.length) labels[name] = records;
      } else if (type === "text") {
        const text = fieldset.querySelector("textarea").value;
        if (text.trim()) labels[name] = text;
      } else if (type === "multi") {
        const chosen = Array.from(fieldset.querySelectorAll("input:checked")).map((input) => input.value);
        if (chosen.length) labels[name] = chosen;
      } else {
        const chosen = fieldset.querySelector("input:checked");
        if (chosen) labels[name] = chosen.value;
      }
    });
    return labels;
  }

  function setSubLabels(item, labels) {
    item.querySelectorAll("fieldset[data-sub-field]").forEach((fieldset) => {
      const value = labels[fieldset.dataset.subField];
      if (fieldset.dataset.type === "evidence") {
        fieldset.querySelector(":scope > input[data-evidence]").value = value ? JSON.stringify(value) : "";
        buildEvidence(fieldset);
      } else if (fieldset.dataset.type === "text") {
        fieldset.querySelector("textarea").value = value || "";
      } else {
        fieldset.querySelectorAll("input").forEach((input) => {
          input.checked = Array.isArray(value) ? value.includes(input.value) : value === input.value;
        });
      }
    });
    applySubConditions(item);
  }

  function parsed(text) {
    if (!text) return [];
    try {
      const value = JSON.parse(text);
      return Array.isArray(value) ? value : [];
    } catch (error) { return []; }
  }

  // --- the list of spans -----------------------------------------------------------------

  function tool(action, text, label) {
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.spanAction = action;
    button.textContent = text;
    if (label) button.setAttribute("aria-label", label);
    if (label) button.title = label;
    return button;
  }

  function caption(text) {
    const words = document.createElement("span");
    words.className = "tool-caption";
    words.textContent = text;
    words.setAttribute("aria-hidden", "true");
    return words;
  }

  // A span's answers in one line, shown while another span is being worked on.
  function summaryOf(item) {
    const parts = [];
    item.querySelectorAll("fieldset[data-sub-field]").forEach((fieldset) => {
      if (fieldset.disabled) return;
      if (fieldset.dataset.type === "evidence") {
        const count = parsed(fieldset.querySelector(":scope > input[data-evidence]").value).length;
        if (count) parts.push(`${count} evidence ${count === 1 ? "record" : "records"}`);
      } else if (fieldset.dataset.type === "text") {
        const text = fieldset.querySelector("textarea").value.trim();
        if (text) parts.push(text.length > 40 ? `${text.slice(0, 40)}…` : text);
      } else {
        fieldset.querySelectorAll("input:checked").forEach((input) => {
          const label = input.closest("label").cloneNode(true);
          label.querySelectorAll("kbd").forEach((key) => key.remove());
          parts.push(label.textContent.trim());
        });
      }
    });
    return parts.length ? parts.join(" · ") : "no answers yet";
  }

  function newItem(widget, span) {
    const item = document.createElement("li");
    item.className = "span-item";
    item.dataset.spanId = String(span.id);
    const head = document.createElement("div");
    head.className = "span-head";
    const badge = document.createElement("span");
    badge.className = "span-badge";
    const text = document.createElement("q");
    text.className = "span-text";
    text.dir = "auto";
    const tools = document.createElement("div");
    tools.className = "span-tools";
    tools.append(
      caption("start"), tool("start-earlier", "◀", "Start one word earlier"), tool("start-later", "▶", "Start one word later"),
      caption("end"), tool("end-earlier", "◀", "End one word earlier"), tool("end-later", "▶", "End one word later"),
      tool("adjust", "Adjust", "Adjust: mark this span's words again"), tool("remove", "Remove", "Remove this span"),
    );
    const summary = document.createElement("p");
    summary.className = "span-summary";
    head.append(badge, text, tools);
    item.append(head, summary);
    const template = widget.querySelector(":scope > template[data-span-fields]");
    if (template) {
      const fields = document.createElement("div");
      fields.className = "span-fields";
      fields.append(template.content.cloneNode(true));
      fields.querySelectorAll("[name^='sub-']").forEach((input) => {
        input.name = `span-${widget.dataset.field}-${span.id}-${input.name.slice(4)}`;
      });
      item.append(fields);
    }
    return item;
  }

  function addSpan(widget, start, end, text, labels) {
    const own = state.get(widget);
    const span = { id: ++lastId, start, end, text };
    span.item = newItem(widget, span);
    own.spans.push(span);
    setSubLabels(span.item, labels || {});
    return span;
  }

  // Keep the list in reading order; move items only when the order changed (a moved element
  // loses focus).
  function order(widget) {
    const own = state.get(widget);
    own.spans.sort(byPosition);
    const list = widget.querySelector("[data-span-list]");
    const shown = Array.from(list.children);
    if (shown.length !== own.spans.length || own.spans.some((span, index) => shown[index] !== span.item)) {
      own.spans.forEach((span) => list.append(span.item));
    }
  }

  // Write the spans into the hidden input (what the form sends), and tell the page (drafts).
  function commit(widget, quietly) {
    const own = state.get(widget);
    order(widget);
    const value = own.spans.map((span) => ({ start: span.start, end: span.end, labels: subLabelsOf(span.item) }));
    const hidden = hiddenOf(widget);
    hidden.value = value.length ? JSON.stringify(value) : "";
    redraw(widget);
    if (!quietly) hidden.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function say(widget, message) {
    const live = widget.querySelector("[data-span-said]");
    if (live) live.textContent = message;
  }

  function setActive(widget, id) {
    const own = state.get(widget);
    if (!own || own.active === id) return;
    own.active = id;
    redraw(widget);
  }

  // The widget's spans from its hidden input (the server's value, a draft, an annotator's answer).
  function build(widget) {
    if (marking && marking.widget === widget) stopMarking();
    const words = wordsIn(markedPassage());
    const previous = state.get(widget);
    if (previous) previous.spans.forEach((span) => span.item.remove());
    state.set(widget, { spans: [], active: null });
    parsed(hiddenOf(widget).value).forEach((given) => {
      if (!given || typeof given.start !== "number" || typeof given.end !== "number") return;
      const range = wordRange(words, given.start, given.end);
      const text = range ? textBetween(words, range[0], range[1]) : given.text || "";
      addSpan(widget, given.start, given.end, text, given.labels || {});
    });
    const own = state.get(widget);
    own.active = own.spans.length ? own.spans[0].id : null;
    commit(widget, true);
  }

  // --- marking ---------------------------------------------------------------------------

  function startMarking(widget, anchor, caret, replacing) {
    const words = wordsIn(markedPassage());
    if (!words.length) return;
    const own = state.get(widget);
    if (anchor === undefined) {  // from the key: after the last span, else at the start
      const last = own.spans.length ? wordRange(words, own.spans[own.spans.length - 1].start, own.spans[own.spans.length - 1].end) : null;
      anchor = caret = last && last[1] + 1 < words.length ? last[1] + 1 : 0;
    }
    marking = { widget, anchor, caret: caret === undefined ? anchor : caret, replacing: replacing || null };
    widget.querySelector("[data-marking]").hidden = false;
    redraw(widget);
  }

  function stopMarking() {
    if (!marking) return;
    const widget = marking.widget;
    marking = null;
    widget.querySelector("[data-marking]").hidden = true;
    redraw(widget);
  }

  function moveCaret(step, extend) {
    const count = wordsIn(markedPassage()).length;
    marking.caret = Math.max(0, Math.min(count - 1, marking.caret + step));
    if (!extend) marking.anchor = marking.caret;
    redraw(marking.widget);
    wordsIn(markedPassage())[marking.caret].scrollIntoView({ block: "nearest" });  // the keyboard's caret stays in view
  }

  // The words being marked become a span (or the span being adjusted takes them).
  function confirmMarking() {
    const { widget, anchor, caret, replacing } = marking;
    const words = wordsIn(markedPassage());
    const [low, high] = [Math.min(anchor, caret), Math.max(anchor, caret)];
    const start = Number(words[low].dataset.start);
    const end = Number(words[high].dataset.end);
    const own = state.get(widget);
    const same = own.spans.find((span) => span.start === start && span.end === end && span.id !== replacing);
    const most = Number(hiddenOf(widget).dataset.most || 0);
    stopMarking();
    if (same) {
      setActive(widget, same.id);
      say(widget, `Those words are span ${own.spans.indexOf(same) + 1} already.`);
      return;
    }
    const text = textBetween(words, low, high);
    let span = own.spans.find((one) => one.id === replacing);
    if (span) {
      Object.assign(span, { start, end, text });
    } else if (most && own.spans.length >= most) {
      say(widget, `At most ${most} spans: remove one first.`);
      return;
    } else {
      span = addSpan(widget, start, end, text, {});
    }
    own.active = span.id;
    commit(widget);
    say(widget, `Span ${own.spans.indexOf(span) + 1} marked: “${text}”.`);
  }

  // One word more or less at either end of a span.
  function nudge(widget, span, action) {
    const words = wordsIn(markedPassage());
    const range = wordRange(words, span.start, span.end);
    if (!range) return;
    let [first, last] = range;
    if (action === "start-earlier") first -= 1;
    if (action === "start-later") first += 1;
    if (action === "end-earlier") last -= 1;
    if (action === "end-later") last += 1;
    if (first < 0 || last >= words.length || first > last) return;
    const start = Number(words[first].dataset.start);
    const end = Number(words[last].dataset.end);
    if (state.get(widget).spans.some((other) => other !== span && other.start === start && other.end === end)) return;
    Object.assign(span, { start, end, text: textBetween(words, first, last) });
    commit(widget);
  }

  function removeSpan(widget, span) {
    const own = state.get(widget);
    const index = own.spans.indexOf(span);
    own.spans.splice(index, 1);
    span.item.remove();
    const next = own.spans[Math.min(index, own.spans.length - 1)];
    own.active = next ? next.id : null;
    commit(widget);
    say(widget, `Span ${index + 1} removed.`);
    const focus = next ? next.item.querySelector("[data-span-action=remove]") : widget.querySelector("[data-span-action=start]");
    if (focus) focus.focus();
  }

  function spanOf(widget, element) {
    const item = element.closest(".span-item");
    const own = state.get(widget);
    return item && own ? own.spans.find((span) => String(span.id) === item.dataset.spanId) : null;
  }

  // Keys while marking: arrows move (Shift extends), Enter marks, Esc cancels; other keys wait.
  // Returns whether the key was taken.
  function handleKey(event) {
    if (!marking) return false;
    if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
      const forward = event.key === "ArrowRight";
      const rtl = getComputedStyle(markedPassage()).direction === "rtl";
      moveCaret(forward !== rtl ? 1 : -1, event.shiftKey);
    } else if (event.key === "Enter") {
      confirmMarking();
    } else if (event.key === "Escape") {
      const widget = marking.widget;
      stopMarking();
      say(widget, "Marking cancelled.");
    } else if (event.key === "Home" || event.key === "End") {
      moveCaret(event.key === "Home" ? -Infinity : Infinity, event.shiftKey);
    } else if (event.key !== "Shift") {
      return true;  // no other key acts while marking (the marking bar says how to leave it)
    }
    event.preventDefault();
    return true;
  }

  function widgetFor(element) {
    return element.closest("fieldset[data-type=span][data-field]") || spanWidgets()[0] || null;
  }

  document.addEventListener("click", (event) => {
    const action = event.target.closest("[data-span-action]");
    const number = event.target.closest("#current-passage .span-number");
    if (number && number.dataset.spanId) {
      const widget = spanWidgets().find((one) => state.get(one).spans.some((span) => String(span.id) === number.dataset.spanId));
      if (widget) setActive(widget, Number(number.dataset.spanId));
    }
    const item = event.target.closest("#label-form .span-item");
    if (item && !(action && action.dataset.spanAction === "remove")) {
      setActive(widgetFor(item), Number(item.dataset.spanId));
    }
    if (!action) return;
    const widget = widgetFor(action);
    if (!widget || !state.get(widget)) return;
    const kind = action.dataset.spanAction;
    const span = spanOf(widget, action);
    if (kind === "start") startMarking(widget);
    else if (kind === "confirm" && marking) confirmMarking();
    else if (kind === "cancel") stopMarking();
    else if (kind === "remove" && span) removeSpan(widget, span);
    else if (kind === "adjust" && span) {
      const range = wordRange(wordsIn(markedPassage()), span.start, span.end);
      if (range) startMarking(widget, range[0], range[1], span.id);
    } else if (span) nudge(widget, span, kind);
  });

  // --- the mouse on the passage ----------------------------------------------------------

  // The word under the pointer, found by position: while a button is held Chromium may send
  // the events to an ancestor once the words' marks are redrawn.
  function wordUnder(event) {
    const under = document.elementFromPoint(event.clientX, event.clientY);
    const word = under && under.closest(".word");
    const passage = markedPassage();
    return word && passage && passage.contains(word) && passage.hasAttribute("data-words") ? word : null;
  }

  document.addEventListener("mousedown", (event) => {
    const word = wordUnder(event);
    const widget = marking ? marking.widget : spanWidgets()[0];
    if (!word || !widget || event.button !== 0) return;
    event.preventDefault();  // no text selection: the words are the selection
    if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();  // keys mark now
    drag = { widget, from: wordsIn(markedPassage()).indexOf(word), moved: false };
  });

  document.addEventListener("mousemove", (event) => {
    const word = drag && wordUnder(event);
    if (!word) return;
    const index = wordsIn(markedPassage()).indexOf(word);
    if (index === drag.from && !drag.moved) return;
    drag.moved = true;
    if (!marking) startMarking(drag.widget, drag.from, index);
    if (marking.caret === index && marking.anchor === drag.from) return;
    marking.anchor = drag.from;
    marking.caret = index;
    redraw(drag.widget);
  });

  // A drag marks at once; a tap starts marking at a word, or moves the end there.
  document.addEventListener("mouseup", (event) => {
    if (!drag) return;
    const { widget, from, moved } = drag;
    drag = null;
    const word = wordUnder(event);
    if (moved && marking) {
      if (word) marking.caret = wordsIn(markedPassage()).indexOf(word);
      confirmMarking();
    } else if (word && marking) {
      marking.caret = from;
      redraw(marking.widget);
    } else if (word) {
      startMarking(widget, from, from);
    }
  });

  // --- edits inside the list: written back before the page keeps its draft -------------

  function edited(event) {
    const target = event.target;
    if (!target.closest || target.matches("input[type=hidden]")) return;
    const record = target.closest(".evidence-record");
    if (record) writeEvidence(record.closest("fieldset[data-type=evidence]"));
    const item = target.closest(".span-item");
    if (item) {
      const widget = widgetFor(item);
      const span = spanOf(widget, item);
      if (span) commit(widget, true);
    }
  }
  document.addEventListener("input", edited, true);
  document.addEventListener("change", edited, true);

  // Tabbing into a span works on it; a click does so on its own (activating on a mouse's focus
  // would fold the other spans between the press and the release, moving what was clicked).
  document.addEventListener("focusin", (event) => {
    const item = event.target.closest && event.target.closest(".span-item");
    if (!item || !event.target.matches(":focus-visible")) return;
    const widget = widgetFor(item);
    if (widget && state.get(widget)) setActive(widget, Number(item.dataset.spanId));
  });

  // --- evidence records ------------------------------------------------------------------

  const RECORD_KEYS = ["url", "relation", "quote", "set", "question", "answer", "note"];
  const WEB_ADDRESS = /^https?:\/\/[^\s/?#]+[^\s]*$/i;

  function evidenceParts(fieldset) {
    return {
      hidden: fieldset.querySelector(":scope > input[data-evidence]"),
      list: fieldset.querySelector(":scope > [data-evidence-list]"),
      template: fieldset.querySelector(":scope > template[data-evidence-record]"),
    };
  }

  function buildEvidence(fieldset) {
    const { hidden, list } = evidenceParts(fieldset);
    list.replaceChildren();
    parsed(hidden.value).forEach((record) => addRecord(fieldset, record));
    writeEvidence(fieldset);
  }

  function addRecord(fieldset, record) {
    const { list, template } = evidenceParts(fieldset);
    const item = template.content.firstElementChild.cloneNode(true);
    item.querySelectorAll("[data-record]").forEach((input) => {
      const value = record[input.dataset.record];
      if (value !== undefined && value !== null) input.value = String(value);
    });
    list.append(item);
    return item;
  }

  function recordOf(item) {
    const record = {};
    RECORD_KEYS.forEach((key) => {
      const input = item.querySelector(`[data-record="${key}"]`);
      if (!input || !input.value.trim()) return;
      record[key] = key === "set" ? Number(input.value) : input.value.trim();
    });
    return record;
  }

  function writeEvidence(fieldset) {
    if (!fieldset) return;
    const { hidden, list } = evidenceParts(fieldset);
    const records = Array.from(list.children).map((item, index) => {
      item.querySelector(".record-number").textContent = `Record ${index + 1}`;
      const record = recordOf(item);
      const link = item.querySelector(".record-link");
      if (record.url && WEB_ADDRESS.test(record.url)) {
        link.href = record.url;
        link.hidden = false;
      } else {
        link.removeAttribute("href");
        link.hidden = true;
      }
      return record;
    });
    hidden.value = records.length ? JSON.stringify(records) : "";
  }

  // A record added or removed changes the answer as typing does.
  function evidenceChanged(fieldset) {
    writeEvidence(fieldset);
    const item = fieldset.closest(".span-item");
    if (item) {
      commit(widgetFor(item));
    } else {
      evidenceParts(fieldset).hidden.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  document.addEventListener("click", (event) => {
    const action = event.target.closest("[data-evidence-action]");
    if (!action) return;
    const fieldset = action.closest("fieldset[data-type=evidence]");
    if (action.dataset.evidenceAction === "add") {
      const item = addRecord(fieldset, {});
      evidenceChanged(fieldset);
      item.querySelector("[data-record=url]").focus();
    } else {
      action.closest(".evidence-record").remove();
      evidenceChanged(fieldset);
      fieldset.querySelector("[data-evidence-action=add]").focus();
    }
  });

  // --- the page --------------------------------------------------------------------------

  // Draw every widget and view under `root` from its data (after a load or an htmx swap).
  function init() {
    marking = null;
    drag = null;
    spanWidgets().forEach(build);
    const form = labelForm();
    if (form) form.querySelectorAll("fieldset[data-field][data-type=evidence]").forEach(buildEvidence);
    document.querySelectorAll("[data-span-view]").forEach((view) => {
      drawSpans(view, parsed(view.dataset.spans), null);
    });
  }

  // A hidden answer set from outside (a draft put back, an annotator's answer taken).
  function rebuild(hidden) {
    const fieldset = hidden.closest("fieldset[data-field]");
    if (!fieldset) return;
    if (fieldset.dataset.type === "span") build(fieldset);
    if (fieldset.dataset.type === "evidence") buildEvidence(fieldset);
  }

  // The sub-field controls a key may press: those of the span being worked on only.
  function inactive(element) {
    const item = element.closest(".span-item");
    return Boolean(item && !item.classList.contains("is-active"));
  }

  window.annotatorSpans = { init, rebuild, handleKey, inactive, isMarking: () => marking !== null };
})();
