// A long press on a touchscreen opens Chromium's context menu (Back, Print, Inspect…),
// which kiosk mode does not hide: a till has no use for it, on the kiosk or on a tablet.
document.addEventListener("contextmenu", (event) => event.preventDefault());
// A message floats over the screen (#messages is fixed in the viewport): its ✕ puts it away.
document.addEventListener("click", (event) => {
  const close = event.target.closest("[data-close-message]");
  if (close) close.closest(".message")?.remove();
});
