"""Peripherals: receipt printer and cash drawer (python-escpos + pyusb), receipt and report
layouts, the persistent print queue (models/printing.py) and device status."""
