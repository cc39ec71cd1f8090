// The site menu folds behind a "Menu" button on narrow screens (static/css/wnh.css).
// Without JavaScript the button stays hidden and the menu stays open.
(function () {
  var button = document.querySelector(".menu-button");
  if (!button) return;
  document.documentElement.classList.add("js-menu");
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    document.documentElement.classList.toggle("menu-open", open);
  });
})();
