"""The PRINTER setting in either form: the dict of docs/printers.md, or the short string
kiosk/provision.sh writes from its --printer flag ("usb:04b8:0202", "network:host:9100",
"file:/dev/usb/lp0", "virtual"). Read once, at app creation."""


def printer_settings(value) -> dict:
    if isinstance(value, dict):
        return value
    text = (value or "virtual").strip()
    kind, _, rest = text.partition(":")
    if kind == "usb":
        vendor, _, product = rest.partition(":")
        return {"kind": "usb", "vendor_id": int(vendor, 16), "product_id": int(product, 16)}
    if kind == "network":
        host, _, port = rest.rpartition(":")
        return {"kind": "network", "host": host or rest, "port": int(port) if host and port else 9100}
    if kind == "file":
        return {"kind": "file", "device": rest}
    if kind == "serial":
        device, _, baudrate = rest.partition("@")
        return {"kind": "serial", "device": device, **({"baudrate": int(baudrate)} if baudrate else {})}
    if kind == "virtual":
        return {"kind": "virtual"}
    raise ValueError(
        f"PRINTER: unknown printer {text!r} (usb:VID:PID, network:HOST:PORT, file:PATH, virtual)"
    )
