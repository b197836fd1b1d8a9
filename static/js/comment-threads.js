// Replies and one's own comments. Without JavaScript, Reply opens the story page with the form set
// to answer the comment (?reply_to=), and Edit and Delete are pages of their own; this moves the
// form under the comment answered, puts new replies under their thread and takes Edit away when
// the edit window closes.
(() => {
  "use strict";

  const section = document.querySelector("section.comments");
  const list = section && section.querySelector("#comment-list");
  if (!list) return;

  const byId = (id) => document.getElementById(`comment-${id}`);
  // The last entry of a thread on this page: its latest reply, else its first comment.
  function threadEnd(id) {
    const replies = list.querySelectorAll(`li.comment[data-thread="${CSS.escape(id)}"]`);
    return replies.length ? replies[replies.length - 1] : byId(id);
  }

  // For comments.js's "Show new comments": a reply goes under its thread when the thread is on this
  // page (or is itself among the new ones); anything else belongs to the last page.
  window.Newsroom = Object.assign(window.Newsroom || {}, {
    threads: {
      belongsHere(item, pending, lastPage) {
        const thread = item.dataset.thread;
        if (!thread) return lastPage;
        return byId(thread) !== null || (lastPage && pending.some((other) => other.dataset.commentId === thread));
      },
      place(item) {
        const thread = item.dataset.thread;
        const end = thread && threadEnd(thread);
        if (end) end.after(item);
        else list.append(item);
      },
    },
  });

  // Reply: the form moves under the thread, set to answer this comment; Cancel puts it back.
  const form = section.querySelector("form#comment-form");
  const field = form && form.querySelector('input[name="parent"]');
  const note = form && form.querySelector(".comment-form__replying");
  if (form && field && note) {
    const home = document.createComment(" the comment form's place ");
    form.before(home);
    let slot = null;
    section.addEventListener("click", (event) => {
      const link = event.target.closest("a.comment__reply");
      const entry = link && link.closest("li.comment");
      if (!entry || !entry.dataset.commentId) return;
      event.preventDefault();
      const id = entry.dataset.commentId;
      field.value = id;
      note.querySelector(".comment-form__replying-name").textContent = entry.dataset.author || "";
      note.hidden = false;
      // An editors' pick answered from the strip: under its thread if that is on this page.
      const inList = byId(id) || entry;
      const after = threadEnd(inList.dataset.thread || id) || inList;
      slot = slot || document.createElement("li");
      slot.className = "comment-form-slot";
      after.after(slot);
      slot.append(form);
      const box = form.querySelector("textarea");
      box.focus({ preventScroll: true });
      slot.scrollIntoView({ behavior: "smooth", block: "center" });
    });
    note.querySelector(".comment-form__cancel").addEventListener("click", (event) => {
      event.preventDefault();
      field.value = "";
      note.hidden = true;
      if (slot) {
        home.after(form);
        slot.remove();
        slot = null;
      }
    });
  }

  // Edit is offered for a few minutes after posting: take it away when that time is up (the
  // server refuses a late edit anyway, keeping the text).
  for (const link of section.querySelectorAll("a.comment__edit:not([hidden])[data-until]")) {
    const left = Date.parse(link.dataset.until) - Date.now();
    if (!(left > 0)) link.hidden = true;
    else if (left < 2 ** 31 - 1) window.setTimeout(() => (link.hidden = true), left);
  }
})();
