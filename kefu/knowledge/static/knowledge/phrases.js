/* Quick phrases: "复制" puts the phrase on the clipboard; the same click's form is posted by
 * htmx (or, without JavaScript, by the browser) to count the use. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button || !navigator.clipboard) {
      return;
    }
    navigator.clipboard.writeText(button.dataset.copy).then(
      function () {
        button.classList.replace("btn-primary", "btn-success");
        setTimeout(function () {
          button.classList.replace("btn-success", "btn-primary");
        }, 1200);
      },
      function () {
        /* No clipboard permission (plain http): the use is still counted. */
      }
    );
  });
})();
