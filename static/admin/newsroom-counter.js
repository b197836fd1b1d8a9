"use strict";
// A live character count under the fields marked data-count-limit (headline, lead): about that
// many characters show in search results. Over the limit the count turns red; saving still works.
window.addEventListener("DOMContentLoaded", () => {
  for (const field of document.querySelectorAll("[data-count-limit]")) {
    const limit = Number(field.dataset.countLimit);
    const counter = document.createElement("div");
    counter.className = "newsroom-count";
    counter.id = `${field.id}_count`;
    counter.setAttribute("aria-live", "polite");
    const update = () => {
      // Characters as readers see them: an emoji or a letter with an accent counts once.
      const count = [...field.value.normalize()].length;
      counter.textContent = `${count} / ${limit} — ${field.dataset.countHint}`;
      counter.classList.toggle("newsroom-count--over", count > limit);
    };
    field.after(counter);
    const described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", described ? `${described} ${counter.id}` : counter.id);
    field.addEventListener("input", update);
    update();
  }
});
