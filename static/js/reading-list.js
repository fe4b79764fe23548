// Progress ticks on a reading list, kept in this browser only (localStorage); nothing is sent anywhere.
// Without this file the list is a plain list of links.
(function () {
  "use strict";
  var root = document.querySelector("[data-reading-list]");
  if (!root) { return; }
  var key = "smimecenter:reading-list:" + root.getAttribute("data-reading-list");
  var items = Array.prototype.slice.call(root.querySelectorAll(".rl-item[data-item]"));
  var progress = root.querySelector(".rl-progress");

  function load() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(key) || "[]");
      return Array.isArray(stored) ? stored.map(String) : [];
    } catch (error) {
      return [];   // storage switched off or damaged: start with nothing ticked
    }
  }

  function save(done) {
    try { window.localStorage.setItem(key, JSON.stringify(done)); } catch (error) { /* private mode: ticks last for this visit */ }
  }

  var done = load();

  function show() {
    var count = 0;
    items.forEach(function (item) {
      var ticked = done.indexOf(item.getAttribute("data-item")) !== -1;
      item.querySelector(".rl-tick").checked = ticked;
      item.classList.toggle("done", ticked);
      if (ticked) { count += 1; }
    });
    if (progress) {
      progress.textContent = count + " of " + items.length + " done";
      progress.hidden = false;
    }
  }

  items.forEach(function (item) {
    var box = item.querySelector(".rl-tick");
    var label = item.querySelector(".rl-tick-label");
    box.hidden = false;
    if (label) { label.hidden = false; }
    box.addEventListener("change", function () {
      var id = item.getAttribute("data-item");
      done = done.filter(function (other) { return other !== id; });
      if (box.checked) { done.push(id); }
      save(done);
      show();
    });
  });
  show();
})();
