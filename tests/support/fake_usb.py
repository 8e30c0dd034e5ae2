"""A pyusb backend with one pretend receipt printer on it, reached through python-escpos'
`usb_args={"backend": ...}` (python-escpos' Usb has no backend argument of its own)."""

import errno
from types import SimpleNamespace

import usb.backend
import usb.core

from tests.support.fake_printer import STATES


def _device_descriptor(vendor_id, product_id):
    return SimpleNamespace(
        bLength=18,
        bDescriptorType=1,
        bcdUSB=0x0200,
        bDeviceClass=0,
        bDeviceSubClass=0,
        bDeviceProtocol=0,
        bMaxPacketSize0=64,
        idVendor=vendor_id,
        idProduct=product_id,
        bcdDevice=0x0100,
        iManufacturer=0,
        iProduct=0,
        iSerialNumber=0,
        bNumConfigurations=1,
        address=4,
        bus=1,
        port_number=2,
        port_numbers=(2,),
        speed=2,
    )


class FakeUsbBackend(usb.backend.IBackend):
    """state: as the network fake ("ok", "paper_out" …); denied: the device file is not the
    service user's (errno 13 on open); unplugged: the printer left the bus."""

    def __init__(self, vendor_id=0x04B8, product_id=0x0202):
        super().__init__()
        self.vendor_id, self.product_id = vendor_id, product_id
        self.state = "ok"
        self.denied = False
        self.unplugged = False
        self.written = bytearray()
        self._answers: list[int] = []
        self.opened = 0

    def enumerate_devices(self):
        return [] if self.unplugged else ["printer"]

    def get_device_descriptor(self, dev):
        return _device_descriptor(self.vendor_id, self.product_id)

    def get_configuration_descriptor(self, dev, config):
        return SimpleNamespace(
            bLength=9,
            bDescriptorType=2,
            wTotalLength=32,
            bNumInterfaces=1,
            bConfigurationValue=1,
            iConfiguration=0,
            bmAttributes=0xC0,
            bMaxPower=50,
            extra_descriptors=[],
        )

    def get_interface_descriptor(self, dev, intf, alt, config):
        if intf != 0 or alt != 0:
            raise IndexError("no such interface")
        return SimpleNamespace(
            bLength=9,
            bDescriptorType=4,
            bInterfaceNumber=0,
            bAlternateSetting=0,
            bNumEndpoints=2,
            bInterfaceClass=7,
            bInterfaceSubClass=1,
            bInterfaceProtocol=2,
            iInterface=0,
            extra_descriptors=[],
        )

    def get_endpoint_descriptor(self, dev, ep, intf, alt, config):
        address = (0x01, 0x82)[ep]
        return SimpleNamespace(
            bLength=7,
            bDescriptorType=5,
            bEndpointAddress=address,
            bmAttributes=0x02,
            wMaxPacketSize=64,
            bInterval=0,
            bRefresh=0,
            bSynchAddress=0,
            extra_descriptors=[],
        )

    def open_device(self, dev):
        if self.denied:
            raise usb.core.USBError("Access denied (insufficient permissions)", errno=errno.EACCES)
        self.opened += 1
        return "handle"

    def close_device(self, dev_handle):
        pass

    def set_configuration(self, dev_handle, config_value):
        pass

    def get_configuration(self, dev_handle):
        return 1

    def claim_interface(self, dev_handle, intf):
        pass

    def release_interface(self, dev_handle, intf):
        pass

    def reset_device(self, dev_handle):
        pass

    def bulk_write(self, dev_handle, ep, intf, data, timeout):
        if self.unplugged:
            raise usb.core.USBError("No such device (it may have been disconnected)", errno=errno.ENODEV)
        data = bytes(data)
        i = 0
        while i < len(data):
            if data[i : i + 2] == b"\x10\x04":
                self._answers.append(STATES[self.state][data[i + 2]])
                i += 3
            else:
                self.written.append(data[i])
                i += 1
        return len(data)

    def bulk_read(self, dev_handle, ep, intf, buff, timeout):
        if not self._answers:
            raise usb.core.USBTimeoutError("Operation timed out", errno=errno.ETIMEDOUT)
        buff[0] = self._answers.pop(0)
        return 1
