// Loads the shared comment list into the article page and refreshes its count. The page
// works without it: the "Read and join the discussion" link leads to the thread page.
(function () {
  "use strict";
  var slot = document.querySelector("[data-comments-fragment]");
  if (!slot || !window.fetch || !window.DOMParser) return;
  fetch(slot.getAttribute("data-comments-fragment"), {
    credentials: "omit",
    headers: { Accept: "text/html" }
  })
    .then(function (r) { return r.ok ? r.text() : null; })
    .then(function (html) {
      if (html === null) return;
      // Parsed as an inert document: nothing in it runs while it is moved into the page.
      var doc = new DOMParser().parseFromString(html, "text/html");
      var fragment = doc.querySelector(".comments-fragment");
      if (!fragment) return;
      slot.replaceChildren(document.importNode(fragment, true));
      var count = fragment.getAttribute("data-count");
      document.querySelectorAll("[data-comment-count]").forEach(function (el) {
        el.textContent = count;
      });
    })
    .catch(function () { /* the link to the thread page still works */ });
})();
