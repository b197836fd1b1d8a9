// "Get short URL" opens a box with the link to select, with or without JavaScript; with it, opening
// the box also selects the link and copies it to the clipboard.
document.addEventListener("click", async (event) => {
  const summary = event.target.closest(".share > summary");
  if (!summary || summary.parentElement.open) return; // closing: nothing to copy
  const details = summary.parentElement;
  const input = details.querySelector(".short-url__input");
  const status = details.querySelector(".short-url__status");
  // The click opens the box after this handler: select the link once it shows.
  details.addEventListener("toggle", () => { input.focus(); input.select(); }, { once: true });
  try {
    await navigator.clipboard.writeText(input.value);
    status.textContent = details.dataset.copied || "Copied";
  } catch (error) {
    status.textContent = details.dataset.copyHint || "Press Ctrl+C to copy";
  }
});
// A click in the field selects the whole link, ready to copy.
document.addEventListener("focusin", (event) => {
  if (event.target.matches?.(".short-url__input")) event.target.select();
});
