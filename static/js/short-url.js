// "Get short URL": the link works on its own; with JavaScript a click shows and copies the URL.
document.addEventListener("click", async (event) => {
  const link = event.target.closest(".short-url");
  if (!link) return;
  event.preventDefault();
  const box = link.parentElement.querySelector(".short-url__box");
  const input = box.querySelector("input");
  const status = box.querySelector(".short-url__status");
  box.hidden = false;
  input.focus();
  input.select();
  try {
    await navigator.clipboard.writeText(link.dataset.shortUrl);
    status.textContent = link.dataset.copied || "Copied";
  } catch (error) {
    status.textContent = link.dataset.copyHint || "Press Ctrl+C to copy";
  }
});
