"use strict";
// Tells the server when the slug was typed rather than filled in from the headline: a filled-in
// slug that another story has gets a number added; a typed one is refused with a free suggestion.
// Typing fires "input"; the admin's prepopulate script sets the value without firing it.
window.addEventListener("load", () => {
  const slug = document.getElementById("id_slug");
  if (!slug || !slug.form) return;
  const typed = document.createElement("input");
  typed.type = "hidden";
  typed.name = "_slug_typed";
  slug.form.append(typed);
  slug.addEventListener("input", () => {
    typed.value = slug.value ? "1" : "";
  });
});
