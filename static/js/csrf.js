// Pages for anonymous readers are cached and shared, so their forms carry no CSRF token: fetch
// this reader's own from /csrf/ once, when a form is first touched, and fill it in before sending.
(() => {
  const endpoint = document.currentScript && document.currentScript.dataset.csrfUrl;
  if (!endpoint) return;
  let pending = null;
  const needsToken = (form) =>
    form instanceof HTMLFormElement &&
    form.method === "post" &&
    new URL(form.action, location.href).origin === location.origin &&
    Boolean(form.querySelector("input[name=csrfmiddlewaretoken][value='']"));
  const token = () => {
    pending ??= fetch(endpoint, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((data) => data.token)
      .catch((error) => {
        pending = null;
        throw error;
      });
    return pending;
  };
  // For scripts that post without a form (comments.js reports a comment with one click).
  window.Newsroom = Object.assign(window.Newsroom || {}, { csrfToken: token });
  const fillAll = (value) =>
    document.querySelectorAll("input[name=csrfmiddlewaretoken][value='']").forEach((input) => {
      input.value = value;
      input.setAttribute("value", value);
    });
  // A field's own form only: a link inside a form (the account sign-in one) leads to another page,
  // and a token fetched on its way out would race that page's own CSRF cookie.
  document.addEventListener("focusin", (event) => {
    if (needsToken(event.target.form)) token().then(fillAll, () => {});
  });
  // Capture: runs before any other submit handler, which then sees the token in the form.
  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      if (!needsToken(form)) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      const submitter = event.submitter;
      token().then(
        (value) => {
          fillAll(value);
          form.requestSubmit ? form.requestSubmit(submitter || undefined) : form.submit();
        },
        // No token to be had: send as is; the server answers a page to send it again.
        () => form.submit(),
      );
    },
    true,
  );
})();
