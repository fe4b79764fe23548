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

  // Copy buttons: hidden until this script shows them, so without it the text is simply selectable.
  // The target is a text field (its value) or any element (its text, exactly as shown).
  function copyText(button) {
    var source = document.getElementById(button.getAttribute("data-copy-target"));
    if (!source) { return; }
    var text = "value" in source && source.tagName !== "BUTTON" ? source.value : source.textContent;
    function done() {
      button.classList.add("copied");
      window.setTimeout(function () { button.classList.remove("copied"); }, 2000);
    }
    function selectIt() {
      if (source.select) { source.select(); return; }
      var range = document.createRange();
      range.selectNodeContents(source);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, selectIt);
    } else {
      selectIt();
      try { if (document.execCommand("copy")) { done(); } } catch (error) { /* the text stays selected */ }
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button[data-copy-target]").forEach(function (button) {
      if (!document.getElementById(button.getAttribute("data-copy-target"))) { return; }
      button.hidden = false;
      button.addEventListener("click", function () { copyText(button); });
    });
  });
})();
