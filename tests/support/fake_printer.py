"""A network receipt printer on 127.0.0.1 (the usual port 9100 protocol): it answers the
real-time status requests (DLE EOT n) and keeps every job it receives. A test switches it
offline, out of paper or cover open, makes it refuse connections, drop one mid-job, or stall
after a job (not answering, as a hung printer does)."""

import socket
import struct
import threading

# Answers to DLE EOT 1, 2, 4 (bits 1 and 4 are always set).
ONLINE, OFFLINE = 0x12, 0x1A
CAUSE_NONE, CAUSE_COVER_OPEN, CAUSE_PAPER = 0x12, 0x16, 0x32
PAPER_OK, PAPER_NEAR_END, PAPER_OUT = 0x12, 0x1E, 0x72

STATES = {
    "ok": {1: ONLINE, 2: CAUSE_NONE, 4: PAPER_OK},
    "near_end": {1: ONLINE, 2: CAUSE_NONE, 4: PAPER_NEAR_END},
    "paper_out": {1: OFFLINE, 2: CAUSE_PAPER, 4: PAPER_OUT},
    "cover_open": {1: OFFLINE, 2: CAUSE_COVER_OPEN, 4: PAPER_OK},
    "offline": {1: OFFLINE, 2: CAUSE_NONE, 4: PAPER_OK},
}


class FakeNetworkPrinter:
    def __init__(self):
        self.state = "ok"
        self.refuse = False  # close every connection at once (RST), like a printer that refuses
        self.silent = False  # never answer status requests
        self.drop_after = None  # close the connection after this many job bytes
        self.stall_after_job = False  # take one job, then never answer again on that connection
        self.jobs: list[bytes] = []  # what was printed, connection by connection (status requests removed)
        self.connections = 0
        self.received = threading.Condition()
        self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(8)
        self.port = self._server.getsockname()[1]
        self._closing = False
        self._clients: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def config(self) -> dict:
        return {"kind": "network", "host": "127.0.0.1", "port": self.port, "timeout": 2}

    def close(self):
        self._closing = True
        self._server.close()
        for client in self._clients:
            try:
                client.close()
            except OSError:
                pass

    def _accept(self):
        while not self._closing:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            self.connections += 1
            if self.refuse:
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                client.close()
                continue
            self._clients.append(client)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client):
        job, buffer, stalled = bytearray(), bytearray(), False
        try:
            while True:
                chunk = client.recv(4096)
                if not chunk:
                    break
                buffer.extend(chunk)
                while buffer:
                    if buffer[0] == 0x10 and len(buffer) < 3:
                        break  # the rest of a status request is on its way
                    if buffer[:2] == b"\x10\x04":
                        n = buffer[2]
                        del buffer[:3]
                        if job and self.stall_after_job:
                            stalled = True
                            self._record(job)
                        if not (self.silent or stalled):
                            client.sendall(bytes([STATES[self.state][n]]))
                        continue
                    job.append(buffer.pop(0))
                    if self.drop_after is not None and len(job) >= self.drop_after:
                        self.drop_after = None
                        self._record(job)
                        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                        client.close()
                        return
        except OSError:
            pass
        finally:
            if not stalled:
                self._record(job)
            try:
                client.close()
            except OSError:
                pass

    def _record(self, job):
        if job:
            with self.received:
                self.jobs.append(bytes(job))
                job.clear()
                self.received.notify_all()
