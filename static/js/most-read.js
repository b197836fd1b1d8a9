// One view of this story for "Most read" (articles/mostread.py). The page itself may come from
// nginx's cache, so the count comes from this beacon: the story's id only, no cookie.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !navigator.sendBeacon) return;

  function send() {
    navigator.sendBeacon(script.dataset.url, new URLSearchParams({ id: script.dataset.story }));
  }

  // A page the browser prerenders is counted once the reader actually opens it.
  if (document.prerendering) {
    document.addEventListener("prerenderingchange", send, { once: true });
  } else {
    send();
  }
})();
