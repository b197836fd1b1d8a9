// Comments under a story. Everything works without JavaScript (reload for new comments, the
// report link asks first, times are printed as they are); this adds "Show new comments (N)",
// reports in place and times such as "5 minutes ago".
(() => {
  "use strict";

  const section = document.querySelector("section.comments[data-new-url]");
  if (!section) return;

  const list = section.querySelector(".comment-list");
  const box = section.querySelector(".comments__new");
  const button = section.querySelector(".comments__new-button");
  const empty = section.querySelector(".comments__empty");
  const count = section.querySelector(".comments__number");
  const pollMs = Math.max(1, Number(section.dataset.pollSeconds) || 30) * 1000;
  let since = section.dataset.since;
  let pending = []; // parsed <li> elements not yet shown
  let timer = null;
  let busy = false;

  const shown = (id) => document.getElementById(`comment-${id}`) !== null;

  // Entries are stored with their time printed ("18:39 GMT+3, 25.03.2017"): within a week, say how
  // long ago instead, in the page's language, and keep the exact time on hover.
  const relative = new Intl.RelativeTimeFormat(document.documentElement.lang || undefined, { numeric: "auto" });
  const UNITS = [["day", 86400], ["hour", 3600], ["minute", 60], ["second", 1]];
  function humanize(root) {
    for (const time of root.querySelectorAll(".comment__time time[datetime]")) {
      const seconds = (Date.parse(time.dateTime) - Date.now()) / 1000;
      if (Number.isNaN(seconds) || seconds < -7 * 86400) continue;
      time.dataset.exact ??= time.textContent;
      time.parentElement.title = time.dataset.exact;
      const [unit, size] = UNITS.find(([, size]) => Math.abs(seconds) >= size) || UNITS[3];
      time.textContent = relative.format(Math.min(0, Math.round(seconds / size)), unit);
    }
  }
  humanize(section);
  // Kept current from each <time datetime>, so "13 seconds ago" does not stay that for a minute.
  window.setInterval(() => humanize(section), 10 * 1000);

  function render() {
    if (!pending.length) {
      box.hidden = true;
      return;
    }
    button.textContent = button.dataset.label.replace("%(count)s", pending.length);
    box.hidden = false;
  }

  // The cursor only moves forward, whichever of the stream and the poll brought it.
  function advance(cursor) {
    if (Number(cursor) > Number(since)) since = String(cursor);
  }

  // Entries not yet on the page nor waiting behind the button join the waiting ones.
  function offer(html) {
    const template = document.createElement("template");
    template.innerHTML = html;
    const waiting = new Set(pending.map((item) => item.id));
    humanize(template.content);
    for (const item of template.content.querySelectorAll("li.comment")) {
      if (!shown(item.dataset.commentId) && !waiting.has(item.id)) pending.push(item);
    }
    render();
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
      advance(data.since);
      offer(data.html);
    } catch (error) {
      // Offline or the server is busy: try again at the next tick.
    } finally {
      busy = false;
    }
  }

  function start() {
    if (timer === null && !live) timer = window.setInterval(poll, pollMs);
  }

  function stop() {
    if (timer !== null) window.clearInterval(timer);
    timer = null;
  }

  button.addEventListener("click", () => {
    const first = pending.find((item) => !shown(item.dataset.commentId));
    // New comments come last, replies under their thread (comment-threads.js): one that belongs
    // to another page (a new comment seen from an earlier page) is shown where it is, through its
    // permalink, rather than added below older ones.
    const threads = window.Newsroom && window.Newsroom.threads;
    const lastPage = section.dataset.lastPage !== "false";
    const away = pending.find(
      (item) =>
        !shown(item.dataset.commentId) && !(threads ? threads.belongsHere(item, pending, lastPage) : lastPage),
    );
    if (away) {
      window.location.assign(away.querySelector("a.comment__permalink").href);
      return;
    }
    for (const item of pending) {
      if (!shown(item.dataset.commentId)) {
        item.classList.add("comment--new");
        if (threads) threads.place(item);
        else list.append(item);
      }
    }
    if (count) count.textContent = String(Number(count.textContent) + pending.length);
    pending = [];
    if (empty) empty.hidden = true;
    render();
    humanize(list);
    if (first) {
      first.setAttribute("tabindex", "-1");
      first.focus({ preventScroll: true });
      first.scrollIntoView({ behavior: "smooth", block: "center" });
    }
  });

  // Live: server-sent events (comments/stream.py) bring each comment as it is published, and the
  // poll rests while they flow. Each event's id is its cursor: a browser that reconnects by itself
  // sends the last one and gets what it missed. When the stream cannot be had (no ASGI server
  // routed, Redis down: a 503) the page polls, and tries the stream again a poll period later.
  let live = false;
  let stream = null;
  function listen() {
    if (!section.dataset.streamUrl || !window.EventSource || stream) return;
    const url = new URL(section.dataset.streamUrl, window.location.href);
    url.searchParams.set("since", since);
    stream = new EventSource(url);
    stream.addEventListener("open", () => {
      live = true;
      stop();
    });
    stream.addEventListener("comment", (event) => {
      const data = JSON.parse(event.data);
      advance(data.cursor);
      if (!shown(data.id)) offer(data.html);
    });
    stream.addEventListener("error", () => {
      // CONNECTING: the browser reconnects by itself (after the server's retry:). CLOSED: refused.
      if (stream.readyState !== EventSource.CLOSED) return;
      stream = null;
      live = false;
      if (document.visibilityState !== "hidden") {
        poll();
        start();
      }
      window.setTimeout(listen, pollMs);
    });
  }
  listen();

  // Not while the tab is hidden; when it comes back, look at once. An open stream stays open.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") {
      stop();
    } else if (!live) {
      poll();
      start();
    }
  });
  if (document.visibilityState !== "hidden") start();

  // Report without leaving the page: the link opens the reasons in its place, a reason posts the
  // report. Without JavaScript the link's page asks first.
  const reasons = document.getElementById("report-reasons");
  section.addEventListener("click", async (event) => {
    const link = event.target.closest("a.comment__report");
    const csrfToken = window.Newsroom && window.Newsroom.csrfToken;
    if (!link || !csrfToken || !reasons) return;
    event.preventDefault();
    const chooser = reasons.content.firstElementChild.cloneNode(true);
    chooser.dataset.href = link.href;
    link.replaceWith(chooser);
    chooser.querySelector("button").focus();
  });
  section.addEventListener("click", async (event) => {
    const choice = event.target.closest(".report-reasons__button");
    if (!choice) return;
    const chooser = choice.closest(".report-reasons");
    if (chooser.getAttribute("aria-busy") === "true") return;
    chooser.setAttribute("aria-busy", "true");
    try {
      const body = new FormData();
      body.append("csrfmiddlewaretoken", await window.Newsroom.csrfToken());
      body.append("reason", choice.dataset.reason);
      const response = await fetch(chooser.dataset.href, {
        method: "POST",
        body,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const data = await response.json();
      const note = document.createElement("span");
      note.className = "comment__reported";
      note.setAttribute("role", "status");
      note.textContent = data.message;
      chooser.replaceWith(note);
    } catch (error) {
      window.location.href = chooser.dataset.href;
    }
  });
})();
