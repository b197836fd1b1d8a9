// Nothing typed in the comment box is lost: this browser keeps a draft of it (localStorage, per
// story) while the reader types, and puts it back into an empty box whenever the story opens again
// (after a "try again in a minute" page, a network error, a closed tab or the back button).
//
// The draft is dropped only once the site has taken the comment: its answer to the post sets the
// nr_posted cookie to the story's id (comments/views.py), which the next page reads and deletes. A
// refused post (a 400 with the form as sent, a 429, a 503) sets nothing, so the draft stays.
(() => {
  "use strict";

  const PREFIX = "newsroom:comment-draft:";
  const POSTED = "nr_posted";
  const KEEP_MS = 7 * 24 * 3600 * 1000;

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
  const remove = (key) => {
    try {
      localStorage.removeItem(key);
    } catch {
      // As above.
    }
  };

  const posted = document.cookie
    .split(";")
    .map((cookie) => cookie.trim())
    .find((cookie) => cookie.startsWith(`${POSTED}=`));
  if (posted) {
    remove(PREFIX + posted.slice(POSTED.length + 1));
    const secure = window.location.protocol === "https:" ? "; Secure" : "";
    document.cookie = `${POSTED}=; Max-Age=0; Path=/; SameSite=Lax${secure}`;
  }

  // Drafts of stories long since left.
  try {
    for (const name of Object.keys(localStorage)) {
      if (name.startsWith(PREFIX) && !((read(name) || {}).savedAt > Date.now() - KEEP_MS)) remove(name);
    }
  } catch {
    // No storage: nothing to prune.
  }

  const form = document.querySelector("form.comment-form[data-draft]");
  if (!form || !form.elements.body) return;
  const key = PREFIX + form.dataset.draft;
  const fields = ["body", "name"].map((name) => form.elements[name]).filter(Boolean);

  const save = () => {
    if (!form.elements.body.value.trim()) {
      remove(key); // emptied on purpose
      return;
    }
    const draft = { savedAt: Date.now() };
    for (const field of fields) draft[field.name] = field.value;
    write(key, draft);
  };

  // Only into an empty box: a refused post comes back with the text as sent, and the browser may
  // have kept what was typed itself.
  const restore = () => {
    const draft = read(key);
    if (!draft || !draft.body || form.elements.body.value.trim()) return;
    for (const field of fields) {
      if (draft[field.name] && !field.value) field.value = draft[field.name];
    }
    form.elements.body.dispatchEvent(new Event("input", { bubbles: true })); // the counter counts it
  };

  form.addEventListener("input", save);
  form.addEventListener("submit", save);
  restore();
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) restore();
  });
})();
