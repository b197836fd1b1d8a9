"use strict";
// "Anna is editing this story (since 14:02)" above the story form. The page tells the story's
// presence endpoint (articles/presence.py) that it is open every few seconds, and that it is gone
// when it is left. A signed-out editor is told that their text is safe (newsroom-autosave.js keeps
// it) and, once they sign in again in another tab, this page takes up the new CSRF token so its
// Save works again.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("article_form");
  const tokenInput = form && form.querySelector("input[name=csrfmiddlewaretoken]");
  if (!tokenInput || !/\/[^/]+\/change\/$/.test(location.pathname)) return;
  const url = new URL("../presence/", location.href).href;
  const t = (text) => (window.gettext ? window.gettext(text) : text);
  const EXPIRED = t(
    "Your session has expired — sign in again in another tab; your changes are kept in this browser.",
  );

  const notice = document.createElement("div");
  notice.className = "newsroom-notice newsroom-presence";
  notice.setAttribute("role", "status");
  notice.hidden = true;
  form.before(notice);

  const show = (lines, kind) => {
    notice.replaceChildren(...lines.map((line) => Object.assign(document.createElement("p"), { textContent: line })));
    notice.classList.toggle("newsroom-notice--error", kind === "error");
    notice.hidden = lines.length === 0;
  };

  let period = 15;
  let timer = null;
  let stopped = false;
  const schedule = () => {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(beat, period * 1000);
  };
  const post = (fields) =>
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: { Accept: "application/json", "X-CSRFToken": tokenInput.value },
      body: new URLSearchParams(fields),
    });
  const json = async (response) =>
    (response.headers.get("Content-Type") || "").startsWith("application/json") ? response.json() : null;

  // Signed in again elsewhere: Django gave that tab a new CSRF token, which this page needs too.
  const refreshToken = async () => {
    const response = await fetch(url, { credentials: "same-origin", redirect: "manual", headers: { Accept: "application/json" } });
    const data = response.ok ? await json(response) : null;
    if (!data || !data.token) return false;
    document.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach((input) => {
      input.value = data.token;
    });
    return true;
  };

  async function beat(retried = false) {
    let response;
    try {
      response = await post({});
    } catch {
      schedule(); // offline for a moment: try again later
      return;
    }
    const data = await json(response).catch(() => null);
    if (response.ok && data) {
      period = data.heartbeat_seconds || period;
      show(data.editors.map((editor) => editor.text));
    } else if (response.status === 403 && !data && !retried && (await refreshToken().catch(() => false))) {
      beat(true); // the CSRF check refused the old token
      return;
    } else if (response.status === 401 || response.status === 403 || response.type === "opaqueredirect") {
      show([(data && data.message) || EXPIRED], "error");
      stopped = response.status === 403 && data !== null; // no longer allowed: nothing to wait for
    } else if (response.status === 404) {
      stopped = true;
      show([]);
    }
    schedule();
  }

  window.addEventListener("pagehide", () => {
    clearTimeout(timer);
    navigator.sendBeacon(url, new URLSearchParams({ csrfmiddlewaretoken: tokenInput.value, leave: "1" }));
  });
  // Back to the page from the browser's back-forward cache: it is open again.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted && !stopped) beat();
  });
  beat();
});
