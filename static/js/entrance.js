// The entrance screen's codes change every minute (bookings/check_in_codes.py). Ask for the
// current ones a few times a minute and show them as soon as they change.
document.addEventListener("DOMContentLoaded", () => {
  const screen = document.getElementById("entrance");
  const code = document.getElementById("entrance-code");
  const qr = document.getElementById("entrance-qr");
  if (!screen || !code || !qr) return;
  let shown = Number(screen.dataset.step);
  const renew = async () => {
    try {
      const response = await fetch(screen.dataset.codeUrl, { credentials: "same-origin", cache: "no-store" });
      if (!response.ok) throw new Error(`entrance code: ${response.status}`);
      const now = await response.json();
      if (now.step !== shown) {
        shown = now.step;
        qr.src = now.qr;
        code.textContent = now.code;
      }
      setTimeout(renew, Math.min(now.changes_in, 15) * 1000 + 200);
    } catch (error) {
      setTimeout(renew, 15000);  // signed out, or the network is down: keep trying
    }
  };
  renew();
});
