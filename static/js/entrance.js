// The entrance QR code changes at midnight. A screen at the door keeps showing this page, so
// fetch the image again every few minutes; the page itself stays put (no timed reload).
document.addEventListener("DOMContentLoaded", () => {
  for (const image of document.querySelectorAll("img[data-renew-every-minutes]")) {
    const minutes = Number(image.dataset.renewEveryMinutes);
    setInterval(() => {
      const url = new URL(image.src);
      url.searchParams.set("at", Date.now().toString());
      image.src = url.toString();
    }, minutes * 60 * 1000);
  }
});
