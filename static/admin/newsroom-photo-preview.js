"use strict";
// The article form's photo preview follows the photo chosen in the autocomplete at once,
// before the story is saved. Select2 reports changes through Django's jQuery, not the DOM.
window.addEventListener("load", () => {
  const preview = document.querySelector("[data-photo-preview]");
  const select = document.getElementById("id_main_photo");
  if (!preview || !select || !window.django || !window.django.jQuery) return;
  window.django.jQuery(select).on("change", () => {
    const id = select.value;
    preview.hidden = !id;
    if (id) preview.src = preview.dataset.photoPreview.replace("/0/image/", `/${id}/image/`);
    else preview.removeAttribute("src");
  });
});
