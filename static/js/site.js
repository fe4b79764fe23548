// Comfort only: the site works without this file.
(function () {
  "use strict";
  // "Link to this section": also copy the full address, so it can be pasted into a chat or a ticket.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.section-link");
    if (!link || !navigator.clipboard) { return; }
    var url = new URL(link.getAttribute("href"), window.location.href).href;
    navigator.clipboard.writeText(url).then(function () {
      link.classList.add("copied");
      window.setTimeout(function () { link.classList.remove("copied"); }, 2000);
    }, function () { /* the anchor still works as a plain link */ });
  });
})();
