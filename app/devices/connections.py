"""The printer connections named in the PRINTER setting: usb, network, serial, file (python-
escpos does the talking) and virtual (keeps what it prints for the screens).

A connection is opened for one exchange and closed after it: python-escpos objects are not
reusable after a failed open, and a network printer drops idle sockets anyway. Nothing here
touches the database: the worker records what happened."""

import socket

from escpos.constants import RT_STATUS
from escpos.exceptions import DeviceNotFoundError
from escpos.printer import Network

from app.devices.status import Status, decode, from_error


class PrinterProblem(Exception):
    """The printer could not take the job. `sent` says whether bytes may have reached it
    (then the next copy is marked as printed again after an incident)."""

    def __init__(self, status: Status, sent: bool = False):
        super().__init__(status.detail or status.code)
        self.status = status
        self.sent = sent


class NoAnswer(Exception):
    pass


class Connection:
    keeps_output = False

    def __init__(self, config: dict):
        self.config = dict(config)
        self.kind = self.config.get("kind", "virtual")

    def describe(self) -> str:
        return self.kind

    def status(self) -> Status:
        raise NotImplementedError

    def send(self, data: bytes, before_write=None) -> Status:
        raise NotImplementedError


class VirtualConnection(Connection):
    keeps_output = True

    def status(self) -> Status:
        return Status("virtual")

    def send(self, data: bytes, before_write=None) -> Status:
        if before_write:
            before_write()
        return Status("virtual")


class EscposConnection(Connection):
    def __init__(self, config: dict):
        super().__init__(config)
        # A printer that ignores DLE EOT would leave every request waiting for its timeout;
        # a device file is write-only.
        self.asks_status = self.config.get("status", self.kind != "file")

    def describe(self) -> str:
        c = self.config
        if self.kind == "usb":
            return f"usb {_hex(c.get('vendor_id'))}:{_hex(c.get('product_id'))}"
        if self.kind == "network":
            return f"network {c.get('host')}:{c.get('port', 9100)}"
        return f"{self.kind} {c.get('device')}"

    def _open(self):
        """A python-escpos printer object; it opens the device on the first write."""
        c, profile = self.config, self.config.get("profile")
        timeout = float(c.get("timeout", 5))
        if self.kind == "usb":
            from escpos.printer import Usb

            if not c.get("vendor_id") or not c.get("product_id"):
                raise PrinterProblem(Status("not_found", "vendor_id / product_id absents de PRINTER"))
            return Usb(
                int(c["vendor_id"]),
                int(c["product_id"]),
                usb_args=dict(c.get("usb_args") or {}),
                timeout=int(timeout * 1000),  # pyusb counts milliseconds
                in_ep=int(c.get("in_ep", 0x82)),
                out_ep=int(c.get("out_ep", 0x01)),
                profile=profile,
            )
        if self.kind == "network":
            return _Network(c.get("host", ""), int(c.get("port", 9100)), timeout=timeout, profile=profile)
        if self.kind == "serial":
            from escpos.printer import Serial
            from escpos.printer.serial import is_usable

            if not is_usable():
                raise PrinterProblem(Status("unavailable", "pyserial n'est pas installé"))
            return Serial(
                c.get("device", "/dev/ttyUSB0"),
                int(c.get("baudrate", 9600)),
                timeout=timeout,
                profile=profile,
            )
        if self.kind == "file":
            from escpos.printer import File

            return File(c.get("device", "/dev/usb/lp0"), profile=profile)
        raise PrinterProblem(Status("unavailable", f"type d'imprimante inconnu : {self.kind}"))

    @staticmethod
    def _close(printer) -> None:
        try:
            printer.close()
        except Exception:  # closing a device that already failed says nothing new
            pass

    def _ask(self, printer, n: int) -> int:
        printer._raw(RT_STATUS + bytes([n]))
        answer = printer._read()
        if not answer:
            raise NoAnswer(f"pas de réponse à DLE EOT {n}")
        return int(answer[0])

    def _check(self, printer) -> Status:
        if not self.asks_status:
            # Opening is the only check a device file allows.
            if printer.device is None:
                return Status("not_found")
            return Status("ok")
        online = self._ask(printer, 1)
        cause = self._ask(printer, 2) if online & 0x08 else None
        paper = self._ask(printer, 4)
        return decode(online, cause, paper)

    def status(self) -> Status:
        printer = None
        try:
            printer = self._open()
            return self._check(printer)
        except PrinterProblem as problem:
            return problem.status
        except NoAnswer as error:
            return Status("no_answer", str(error))
        except Exception as error:  # every driver has its own exceptions: name them
            return from_error(error)
        finally:
            if printer is not None:
                self._close(printer)

    def send(self, data: bytes, before_write=None) -> Status:
        printer = self._open()
        try:
            try:
                status = self._check(printer)
            except NoAnswer as error:
                raise PrinterProblem(Status("no_answer", str(error)))
            except PrinterProblem:
                raise
            except Exception as error:
                raise PrinterProblem(from_error(error))
            if not status.ready:
                raise PrinterProblem(status)
            if before_write:
                before_write()
            try:
                printer._raw(data)
                after = self._check(printer) if self.asks_status else status
            except NoAnswer as error:
                raise PrinterProblem(Status("no_answer", str(error)), sent=True)
            except Exception as error:
                raise PrinterProblem(from_error(error), sent=True)
            if not after.ready:
                raise PrinterProblem(after, sent=True)
            return after
        finally:
            self._close(printer)


class _Network(Network):
    """python-escpos' Network leaves the socket of a refused connection open (one leaked
    descriptor per poll of an absent printer)."""

    def open(self, raise_not_found: bool = True) -> None:
        try:
            self.device = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as error:
            self.device = None
            raise DeviceNotFoundError(f"Could not open socket for {self.host}: {error}") from error


def connect(config: dict) -> Connection:
    if (config or {}).get("kind", "virtual") == "virtual":
        return VirtualConnection(config or {})
    return EscposConnection(config)


def _hex(value) -> str:
    return f"{int(value):04x}" if value else "?"


def usb_devices(backend=None) -> list[dict]:
    """Every USB device the system shows, for `printer list`: ids, names when readable,
    and whether it declares itself a printer (class 7)."""
    import usb.core
    import usb.util

    devices = []
    for device in usb.core.find(find_all=True, backend=backend):
        printer = device.bDeviceClass == 7
        try:
            for configuration in device:
                printer = printer or usb.util.find_descriptor(configuration, bInterfaceClass=7) is not None
        except (usb.core.USBError, NotImplementedError, ValueError):
            pass
        devices.append(
            {
                "vendor_id": device.idVendor,
                "product_id": device.idProduct,
                "bus": device.bus,
                "address": device.address,
                "printer": printer,
                "manufacturer": _string(device, "manufacturer"),
                "product": _string(device, "product"),
            }
        )
    return devices


def _string(device, name) -> str | None:
    try:
        return getattr(device, name)
    except Exception:  # reading names needs the device opened, often not allowed
        return None
