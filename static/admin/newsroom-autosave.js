"use strict";
// Unsaved changes to a story survive a closed tab, a crash or an expired session: this browser
// keeps a draft of the form (localStorage, per story) and offers it back when the form opens again.
//
// When is a draft done with? Only once the server has taken the save. Submitting marks the draft
// "sent" for this tab (sessionStorage); the next page in the tab decides:
// - a page with Django's success message (the list, "Save and continue", "add another"): saved,
//   the draft is dropped;
// - the same form with errors: the form shows the text as sent, the draft stays;
// - anything else (the login page after an expired session, then the form again): the draft stays
//   and is offered.
(() => {
  const PREFIX = "newsroom:draft:";
  const SENT = "newsroom:draft-sent";
  const SKIP = new Set(["hidden", "file", "submit", "button", "reset", "image", "password"]);
  const t = (text) => (window.gettext ? window.gettext(text) : text);
  const format = (text, values) => text.replace(/%\((\w+)\)s/g, (_, name) => values[name]);

  const storyKey = () => {
    const match = location.pathname.match(/\/([^/]+)\/(change|add)\/$/);
    if (!match) return null;
    return PREFIX + "article:" + (match[2] === "add" ? "new" : match[1]);
  };
  const read = (key) => {
    try {
      return JSON.parse(localStorage.getItem(key));
    } catch {
      return null;
    }
  };
  const write = (key, value) => {
    try {
      localStorage.setItem(key, JSON.stringify(value));
    } catch {
      // Storage full or refused (a private window): the form itself still works.
    }
  };

  // Each field's value, keyed by name (and value, for checkboxes and radios). Selects keep their
  // options' labels too: an autocomplete select only holds the options chosen when the page was made.
  const snapshot = (form) => {
    const fields = {};
    for (const element of form.elements) {
      if (!element.name || SKIP.has(element.type) || element.name === "base_version") continue;
      if (element.type === "checkbox" || element.type === "radio") {
        fields[`${element.name}=${element.value}`] = element.checked;
      } else if (element.tagName === "SELECT") {
        fields[element.name] = [...element.selectedOptions].map((option) => [option.value, option.text]);
      } else {
        fields[element.name] = element.value;
      }
    }
    return fields;
  };
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

  const restore = (form, fields) => {
    for (const element of form.elements) {
      if (!element.name || SKIP.has(element.type) || element.name === "base_version") continue;
      const key = element.type === "checkbox" || element.type === "radio" ? `${element.name}=${element.value}` : element.name;
      if (!(key in fields)) continue;
      const value = fields[key];
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = value;
      } else if (element.tagName === "SELECT") {
        const wanted = new Map(value);
        for (const [optionValue, label] of wanted) {
          if (![...element.options].some((option) => option.value === optionValue)) {
            element.add(new Option(label, optionValue));
          }
        }
        for (const option of element.options) option.selected = wanted.has(option.value);
      } else {
        element.value = value;
      }
      // Other scripts (the autocomplete widgets, the photo preview) follow the change.
      element.dispatchEvent(new Event("input", { bubbles: true }));
      element.dispatchEvent(new Event("change", { bubbles: true }));
    }
  };

  const when = (time) => {
    const date = new Date(time);
    const clock = date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    return date.toDateString() === new Date().toDateString() ? clock : `${date.toLocaleDateString()} ${clock}`;
  };

  // Drafts of stories deleted or long since given up on.
  const prune = () => {
    const old = Date.now() - 30 * 24 * 3600 * 1000;
    for (const name of Object.keys(localStorage)) {
      if (name.startsWith(PREFIX) && !((read(name) || {}).savedAt > old)) localStorage.removeItem(name);
    }
  };

  document.addEventListener("DOMContentLoaded", () => {
    prune();
    const sent = sessionStorage.getItem(SENT);
    sessionStorage.removeItem(SENT);
    if (sent && document.querySelector(".messagelist .success")) localStorage.removeItem(sent);

    const form = document.getElementById("article_form");
    const key = storyKey();
    if (!form || !key) return;
    const versionInput = form.querySelector("input[name=base_version]");
    const basis = versionInput ? versionInput.value : null;
    const initial = snapshot(form);
    const hasErrors = Boolean(document.querySelector(".errornote"));
    let decided = true; // false while a draft is offered and neither restored nor discarded

    const save = () => {
      if (!decided) return;
      const fields = snapshot(form);
      if (same(fields, initial) && !hasErrors) localStorage.removeItem(key);
      else write(key, { savedAt: Date.now(), basis, fields });
    };
    let timer = null;
    const saveSoon = () => {
      clearTimeout(timer);
      timer = setTimeout(save, 400);
    };
    const saveNow = () => {
      clearTimeout(timer);
      save();
    };
    form.addEventListener("input", saveSoon);
    form.addEventListener("change", saveSoon);
    // The autocomplete widgets report through Django's jQuery, not the DOM.
    if (window.django && window.django.jQuery) window.django.jQuery(form).on("change", saveSoon);
    window.addEventListener("pagehide", saveNow);
    form.addEventListener("submit", () => {
      saveNow();
      sessionStorage.setItem(SENT, key);
    });

    const draft = read(key);
    if (!draft || !draft.fields) return;
    if (hasErrors) {
      saveNow(); // the form shows the text as sent: that is the draft now
      return;
    }
    if (same(draft.fields, initial)) {
      localStorage.removeItem(key); // already saved
      return;
    }

    decided = false;
    const banner = document.createElement("div");
    banner.className = "newsroom-notice newsroom-draft";
    banner.setAttribute("role", "alert");
    const text = document.createElement("p");
    text.textContent = format(t("You have unsaved changes from %(time)s."), { time: when(draft.savedAt) });
    banner.append(text);
    if (draft.basis && basis && draft.basis !== basis) {
      const stale = document.createElement("p");
      stale.textContent = t(
        "The story has been saved by someone else since then: when you save, you are shown their changes and they are merged with yours.",
      );
      banner.append(stale);
    }
    const button = (label, action) => {
      const element = Object.assign(document.createElement("button"), { type: "button", textContent: label });
      element.className = "button";
      element.addEventListener("click", () => {
        action();
        decided = true;
        banner.remove();
        saveNow();
      });
      return element;
    };
    const actions = document.createElement("p");
    actions.append(
      button(t("Restore"), () => {
        restore(form, draft.fields);
        // The draft's own starting version: a save then shows what others changed since and
        // merges it (articles/versions.py), instead of writing the draft over their work.
        if (versionInput && draft.basis) versionInput.value = draft.basis;
      }),
      " ",
      button(t("Discard"), () => localStorage.removeItem(key)),
    );
    banner.append(actions);
    form.before(banner);
  });
})();
