// A long press on a touchscreen opens Chromium's context menu (Back, Print, Inspect…),
// which kiosk mode does not hide: a till has no use for it, on the kiosk or on a tablet.
document.addEventListener("contextmenu", (event) => event.preventDefault());
