"use strict";
// Photo pickers (admin.PhotoPicker) list each search result with a thumbnail, the caption and
// credit, size and upload time, so two photos with the same caption can be told apart.
// Set as select2's default before autocomplete.js starts the widgets (on document ready);
// results of other autocompletes carry no "thumb" and keep select2's plain text.
{
  const $ = window.django && window.django.jQuery;
  if ($ && $.fn.select2) {
    $.fn.select2.defaults.set("templateResult", (result) => {
      if (result.loading || result.thumb === undefined) return result.text;
      const item = document.createElement("span");
      item.className = "newsroom-pick";
      if (result.thumb) {
        const img = document.createElement("img");
        img.className = "newsroom-pick__thumb";
        img.src = result.thumb;
        img.alt = "";
        img.width = 64;
        img.loading = "lazy";
        item.append(img);
      }
      const text = document.createElement("span");
      text.className = "newsroom-pick__text";
      const caption = document.createElement("span");
      caption.className = "newsroom-pick__caption";
      caption.textContent = result.caption;
      const details = document.createElement("span");
      details.className = "newsroom-pick__details";
      details.textContent = result.details;
      text.append(caption, details);
      item.append(text);
      return $(item);
    });
  }
}
