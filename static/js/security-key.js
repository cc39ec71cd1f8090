// Security keys (templates/mfa/webauthn/): allauth's webauthn.js only logs a refused or
// cancelled key to the console; show the page's own message instead, next to the button.
(function () {
  document.addEventListener("allauth.error", function (event) {
    var tags = (event.detail && event.detail.tags) || [];
    if (tags.indexOf("webauthn") === -1) return;
    var note = document.querySelector("[data-security-key-error]");
    if (!note) return;
    event.preventDefault();
    note.hidden = false;
  });
})();
