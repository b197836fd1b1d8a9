// Comments under a story. Everything works without JavaScript (reload for new comments,
// forms post and come back); this adds "Show new comments (N)" and one-click reports.
(() => {
  "use strict";

  const section = document.querySelector("section.comments[data-new-url]");
  if (!section) return;

  const list = section.querySelector(".comment-list");
  const box = section.querySelector(".comments__new");
  const button = section.querySelector(".comments__new-button");
  const empty = section.querySelector(".comments__empty");
  const count = section.querySelector(".comments__count");
  const pollMs = Math.max(1, Number(section.dataset.pollSeconds) || 30) * 1000;
  let since = section.dataset.since;
  let pending = []; // parsed <li> elements not yet shown
  let timer = null;
  let busy = false;

  const shown = (id) => document.getElementById(`comment-${id}`) !== null;

  function render() {
    if (!pending.length) {
      box.hidden = true;
      return;
    }
    button.textContent = button.dataset.label.replace("%(count)s", pending.length);
    box.hidden = false;
  }

  async function poll() {
    if (busy || document.visibilityState === "hidden") return;
    busy = true;
    try {
      const url = new URL(section.dataset.newUrl, window.location.href);
      url.searchParams.set("since", since);
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) return;
      const data = await response.json();
      since = String(data.since);
      const template = document.createElement("template");
      template.innerHTML = data.html;
      const waiting = new Set(pending.map((item) => item.id));
      for (const item of template.content.querySelectorAll("li.comment")) {
        if (!shown(item.dataset.commentId) && !waiting.has(item.id)) pending.push(item);
      }
      render();
    } catch (error) {
      // Offline or the server is busy: try again at the next tick.
    } finally {
      busy = false;
    }
  }

  function start() {
    if (timer === null) timer = window.setInterval(poll, pollMs);
  }

  function stop() {
    if (timer !== null) window.clearInterval(timer);
    timer = null;
  }

  button.addEventListener("click", () => {
    const first = pending.find((item) => !shown(item.dataset.commentId));
    for (const item of pending) {
      if (!shown(item.dataset.commentId)) {
        item.classList.add("comment--new");
        list.append(item);
      }
    }
    if (count) count.textContent = String(Number(count.textContent) + pending.length);
    pending = [];
    if (empty) empty.hidden = true;
    render();
    if (first) {
      first.setAttribute("tabindex", "-1");
      first.focus({ preventScroll: true });
      first.scrollIntoView({ behavior: "smooth", block: "center" });
    }
  });

  // Not while the tab is hidden; when it comes back, look at once.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") {
      stop();
    } else {
      poll();
      start();
    }
  });
  if (document.visibilityState !== "hidden") start();

  // Report without leaving the page; the form still works on its own.
  section.addEventListener("submit", async (event) => {
    const form = event.target.closest(".comment__report");
    if (!form) return;
    event.preventDefault();
    const reportButton = form.querySelector("button");
    reportButton.disabled = true;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const data = await response.json();
      const note = document.createElement("span");
      note.className = "comment__reported";
      note.setAttribute("role", "status");
      note.textContent = data.message;
      form.replaceWith(note);
    } catch (error) {
      reportButton.disabled = false;
      form.submit();
    }
  });
})();
