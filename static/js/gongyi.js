/* gongyi: small progressive enhancements; every page works without this file. */
(function () {
  "use strict";
  // Ask before a form that is marked data-confirm is sent.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });
  // Print buttons: <button data-print>.
  document.addEventListener("click", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-print")) { window.print(); }
  });
})();
