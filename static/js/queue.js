/* The queues' ticking helpers; the queues work without this file. */
(function () {
  "use strict";
  var form = document.getElementById("queue-form");
  if (!form) { return; }
  var boxes = function () { return form.querySelectorAll("input[name=applications]"); };
  var selectAll = form.querySelectorAll("[data-select-all]");
  // "Select all" ticks every application of the page.
  selectAll.forEach(function (all) {
    all.addEventListener("change", function () {
      boxes().forEach(function (box) { box.checked = all.checked; });
    });
  });
  // "Select only the ready ones" ticks the rows marked data-ready and clears the others.
  form.querySelectorAll("[data-select-ready]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      boxes().forEach(function (box) { box.checked = box.closest("tr").hasAttribute("data-ready"); });
      selectAll.forEach(function (all) { all.checked = false; });
    });
  });
})();
