// The top menu's drop-downs are <details>: they work without this file. It only closes the
// other drop-downs when one opens, and all of them on a click elsewhere or on Escape.
document.addEventListener("toggle", function (event) {
  var opened = event.target;
  if (!opened.classList || !opened.classList.contains("navgroup") || !opened.open) return;
  document.querySelectorAll("details.navgroup[open]").forEach(function (other) {
    if (other !== opened) other.open = false;
  });
}, true);
function closeMenus(except) {
  document.querySelectorAll("details.navgroup[open]").forEach(function (d) {
    if (!except || !d.contains(except)) d.open = false;
  });
}
document.addEventListener("click", function (event) { closeMenus(event.target); });
document.addEventListener("keydown", function (event) { if (event.key === "Escape") closeMenus(null); });
