"use strict";
// The photo form's focal point: a click on the preview sets the two fields (fractions of the width
// and height, 0 to 1) and moves the ring there; typing in the fields moves it too. A static file,
// and the ring placed through the CSSOM: the Content Security Policy refuses inline scripts and
// style="" attributes.
window.addEventListener("DOMContentLoaded", () => {
  const picker = document.querySelector("[data-focal-picker]");
  const fields = {
    x: document.querySelector('input[data-focal="x"]'),
    y: document.querySelector('input[data-focal="y"]'),
  };
  if (!picker || !fields.x || !fields.y) return;
  const image = picker.querySelector("img");
  const marker = picker.querySelector("[data-focal-marker]");

  const place = () => {
    const x = parseFloat(fields.x.value);
    const y = parseFloat(fields.y.value);
    const inside = [x, y].every((value) => value >= 0 && value <= 1);
    marker.hidden = !inside;
    if (inside) {
      marker.style.left = `${x * 100}%`;
      marker.style.top = `${y * 100}%`;
    }
  };

  image.addEventListener("click", (event) => {
    const box = image.getBoundingClientRect();
    const fraction = (offset, size) => Math.min(1, Math.max(0, offset / size)).toFixed(3);
    fields.x.value = fraction(event.clientX - box.left, box.width);
    fields.y.value = fraction(event.clientY - box.top, box.height);
    fields.x.dispatchEvent(new Event("change", { bubbles: true }));
    place();
  });
  fields.x.addEventListener("input", place);
  fields.y.addEventListener("input", place);
  place();
});
