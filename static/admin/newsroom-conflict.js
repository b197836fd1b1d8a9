"use strict";
// "Use theirs" on a refused save: puts the other editor's text into the field, in place of yours.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-use-theirs]");
  if (!button) return;
  const field = document.getElementById(`id_${button.dataset.useTheirs}`);
  if (!field) return;
  field.value = button.dataset.value;
  field.dispatchEvent(new Event("input", { bubbles: true }));
  button.disabled = true;
  button.textContent = button.dataset.doneText || "✓";
});
