// The seat map (templates/centres/_seat_map.html), made quicker with htmx; every part of it
// also works as plain forms and links without JavaScript.
(function () {
  // The Book button names what it books: "Book P01-04 · Tue 24 Nov".
  function nameTheChoice(input) {
    var button = document.getElementById("book-button");
    if (!button || !input || input.name !== "seat") return;
    var span = button.querySelector(".choice-seat");
    var item = input.closest("li.seat");
    if (span && item) span.textContent = item.getAttribute("data-seat");
  }

  // The date box follows the day the map shows, whichever way it was changed (a day button,
  // a typed date, Back and Forward).
  function followTheDay() {
    var map = document.getElementById("seat-map");
    var box = document.getElementById("id_day");
    if (map && box && box.value !== map.getAttribute("data-day")) {
      box.value = map.getAttribute("data-day");
    }
  }

  document.addEventListener("change", function (event) { nameTheChoice(event.target); });

  // On the swap itself (not after settling), so nothing ever sees the two disagree.
  document.addEventListener("htmx:afterSwap", followTheDay);
  document.addEventListener("htmx:afterSettle", function (event) {
    // After a booking, move keyboard and screen reader focus to what was said (next to the
    // map), or to the map's heading, so the person hears the answer instead of losing place.
    var config = event.detail.requestConfig || {};
    if (config.verb !== "post" || !event.detail.target || event.detail.target.id !== "seat-map") return;
    var said = document.getElementById("map-messages");
    var target = said && said.textContent.trim() ? said : document.getElementById("seat-map-heading");
    if (target) {
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: "center" });
    }
  });
  document.addEventListener("htmx:historyRestore", followTheDay);

  // A day button swaps the whole map, itself included: keep keyboard focus on the day chosen
  // (in the new map) instead of dropping it to the page's start.
  document.addEventListener("htmx:afterSettle", function (event) {
    var config = event.detail.requestConfig || {};
    var from = config.elt;
    if (config.verb !== "get" || !from || !from.getAttribute) return;
    var day = from.getAttribute("data-day");
    if (!day || !event.detail.target || event.detail.target.id !== "seat-map") return;
    var again = document.querySelector('#seat-map .days a[data-day="' + day + '"]');
    if (again) again.focus({ preventScroll: true });
  });

  // The seats and "Any free seat" are one radio group, which Tab enters only at the chosen
  // one: from an opened pod's name, Tab goes to the pod's first free seat; the arrow keys then
  // choose among the seats (the hint above the map says so).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Tab" || event.shiftKey || event.altKey || event.ctrlKey) return;
    var summary = event.target.closest && event.target.closest("summary");
    var pod = summary && summary.parentElement;
    if (!pod || !pod.matches("details.pod[open]")) return;
    var seats = pod.querySelectorAll('input[name="seat"]');
    if (!seats.length) return;
    var chosen = pod.querySelector('input[name="seat"]:checked');
    event.preventDefault();
    (chosen || seats[0]).focus();
  });
})();
