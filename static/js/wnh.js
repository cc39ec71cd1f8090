// After htmx swaps the seat map, move keyboard and screen reader focus to its heading, so
// the person hears the new state (and any message) instead of losing their place.
document.addEventListener("htmx:afterSwap", function (event) {
  var heading = document.getElementById("seat-map-heading");
  var config = event.detail.requestConfig || {};
  if (heading && config.verb === "post" && event.detail.target && event.detail.target.id === "seat-map") {
    heading.focus();
  }
});
