// The comment box counts as one types. It has no maxlength on purpose: a browser would cut a long
// paste without a word. Over the limit the count says by how much, and the server refuses the
// comment with the whole text kept, so the reader can shorten it.
(() => {
  "use strict";

  for (const box of document.querySelectorAll("textarea[data-max-length]")) {
    const count = box.closest(".field")?.querySelector(".field__count");
    const limit = Number(box.dataset.maxLength);
    if (!count || !limit) continue;
    const format = new Intl.NumberFormat(document.documentElement.lang || undefined);
    // Characters as the server counts them: code points, one per line break.
    const length = () => [...box.value.replace(/\r\n?/g, "\n").trim()].length;
    let shown = null;
    const update = () => {
      const left = limit - length();
      const over = left < 0;
      // Said aloud only near the limit; a screen reader need not hear every keystroke.
      const text = (over ? count.dataset.over : count.dataset.left).replace("%(count)s", format.format(Math.abs(left)));
      if (text === shown) return;
      shown = text;
      count.textContent = text;
      count.hidden = false;
      count.classList.toggle("field__count--over", over);
      count.setAttribute("aria-live", left < 200 ? "polite" : "off");
      box.setAttribute("aria-invalid", over ? "true" : "false");
    };
    box.addEventListener("input", update);
    update();
  }
})();
