// Comfort for the certificate check: drag and drop, the password field shown only when a .p12 is chosen.
// (Copy buttons are site.js's.) The page works fully without this file.
(function () {
  "use strict";

  var PKCS12 = /\.(p12|pfx)$/i;

  function setUpForm(form) {
    var fileInput = form.querySelector("input[type=file][name=file]");
    var passwordField = document.getElementById("password-field");
    var chosen = document.getElementById("chosen-files");
    var dropZone = document.getElementById("drop-zone") || form;
    if (!fileInput) { return; }

    function fileNames() {
      return Array.prototype.map.call(fileInput.files || [], function (file) { return file.name; });
    }

    function update() {
      var names = fileNames();
      if (chosen) {
        chosen.textContent = names.length ? "Chosen: " + names.join(", ") : "";
      }
      if (passwordField) {
        // A .p12 carried back from the last check (the page lists it) needs the field as much as a chosen one.
        var needed = names.some(function (name) { return PKCS12.test(name); }) || form.hasAttribute("data-carries-p12");
        var hasError = passwordField.classList.contains("has-error");
        passwordField.classList.toggle("collapsed", !needed && !hasError);
      }
    }

    fileInput.addEventListener("change", update);

    // Dropped files join those already chosen, through the file input, so the form posts them as usual.
    dropZone.addEventListener("dragover", function (event) {
      if (!event.dataTransfer || Array.prototype.indexOf.call(event.dataTransfer.types, "Files") < 0) { return; }
      event.preventDefault();
      dropZone.classList.add("dragging");
    });
    dropZone.addEventListener("dragleave", function () { dropZone.classList.remove("dragging"); });
    dropZone.addEventListener("drop", function (event) {
      dropZone.classList.remove("dragging");
      if (!event.dataTransfer || !event.dataTransfer.files.length || typeof DataTransfer === "undefined") { return; }
      event.preventDefault();
      var merged = new DataTransfer();
      Array.prototype.forEach.call(fileInput.files || [], function (file) { merged.items.add(file); });
      Array.prototype.forEach.call(event.dataTransfer.files, function (file) { merged.items.add(file); });
      fileInput.files = merged.files;
      update();
    });

    update();
  }

  // A link to a certificate card opens it (cards are collapsed by default).
  function openTarget() {
    var id = window.location.hash.slice(1);
    if (!id) { return; }
    var target = document.getElementById(id);
    var details = target && target.closest ? target.closest("details") : null;
    if (details) { details.open = true; }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("diagnose-form");
    if (form) { setUpForm(form); }
    openTarget();
    var problem = document.getElementById("form-problem");
    if (problem) { problem.focus(); }
  });
  window.addEventListener("hashchange", openTarget);
})();
