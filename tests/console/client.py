#!/usr/bin/env python3
"""tests/console/client.py: type on the hypervisor's console like a user.

Usage: client.py PORT RAW SCRIPT

Connects to 127.0.0.1:PORT (Bochs `com1: mode=socket-server`, QEMU
`-serial tcp:127.0.0.1:PORT,server=on`), retrying until the emulator
listens, and runs SCRIPT, one command a line:

    expect REGEX [SECONDS]   wait until the bytes received since the last
                             match contain REGEX (Python re, bytes, DOTALL);
                             default 120 s of wall time
    type TEXT                send TEXT a byte at a time, 20 ms apart (a
                             typist); Python escapes: \\x01 is Ctrl-A, \\r Enter
    send TEXT                send TEXT at once
    sleep SECONDS
    flood N SEED             send N random bytes (seeded) at once: every
                             byte value, partial escape sequences included,
                             but never three escape keys (Ctrl-A) in a row
                             and no escape key last; {FLOOD} in a later
                             expect stands for their MD5 (hex, as md5sum)
    # ...                    a comment

Everything received goes to RAW, also after a failure, until the emulator
closes the connection.  Prints one line per failed command and exits 1 on
failure, 0 on success, 2 when it cannot connect.
"""
import hashlib
import random
import re
import socket
import sys
import time

CONNECT_SECONDS = 60
TYPE_DELAY = 0.02
DEFAULT_EXPECT_SECONDS = 120
ESCAPE_KEY = 0x01


class Console:
    def __init__(self, port, raw_path):
        self.raw = open(raw_path, "wb")
        self.buf = b""
        self.pos = 0
        self.sock = self._connect(port)
        self.closed = False

    def _connect(self, port):
        deadline = time.time() + CONNECT_SECONDS
        while True:
            try:
                return socket.create_connection(("127.0.0.1", port), timeout=1)
            except OSError:
                if time.time() > deadline:
                    print("client: cannot connect to 127.0.0.1:%d" % port)
                    sys.exit(2)
                time.sleep(0.1)

    def _receive(self, timeout):
        if self.closed:
            time.sleep(min(timeout, 0.1))
            return
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            return
        except OSError:
            data = b""
        if not data:
            self.closed = True
            return
        self.raw.write(data)
        self.raw.flush()
        self.buf += data

    def expect(self, pattern, seconds):
        regex = re.compile(pattern.encode(), re.DOTALL)
        deadline = time.time() + seconds
        while True:
            m = regex.search(self.buf, self.pos)
            if m:
                self.pos = m.end()
                return True
            if self.closed or time.time() > deadline:
                return False
            self._receive(min(0.2, max(0.01, deadline - time.time())))

    def send(self, data, delay=0.0):
        for i in range(len(data)):
            if self.closed:
                return
            try:
                self.sock.sendall(data[i:i + 1] if delay else data[i:])
            except OSError:
                self.closed = True
                return
            if not delay:
                return
            self._receive(delay)

    def drain(self, seconds):
        deadline = time.time() + seconds
        while not self.closed and time.time() < deadline:
            self._receive(0.5)


def flood_bytes(count, seed):
    rng = random.Random(seed)
    out = bytearray()
    run = 0
    while len(out) < count:
        b = rng.randrange(256)
        if b == ESCAPE_KEY:
            if run == 2:
                continue
            run += 1
        else:
            run = 0
        out.append(b)
    if out[-1] == ESCAPE_KEY:
        out[-1] = ord("z")
    return bytes(out)


def unescape(text):
    return text.encode("latin-1").decode("unicode_escape").encode("latin-1")


def run(console, script):
    ok = True
    flood_sum = ""
    for number, line in enumerate(open(script), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        if word == "expect":
            rest = rest.replace("{FLOOD}", flood_sum)
            pattern, seconds = rest, DEFAULT_EXPECT_SECONDS
            m = re.match(r"(.*) (\d+)$", rest)
            if m:
                pattern, seconds = m.group(1), int(m.group(2))
            if not console.expect(pattern, seconds):
                print("client: line %d: no %r within %d s" % (number, pattern, seconds))
                ok = False
                break
        elif word == "type":
            console.send(unescape(rest), TYPE_DELAY)
        elif word == "send":
            console.send(unescape(rest))
        elif word == "sleep":
            time.sleep(float(rest))
        elif word == "flood":
            count, seed = rest.split()
            data = flood_bytes(int(count), int(seed))
            flood_sum = hashlib.md5(data).hexdigest()
            console.send(data)
        else:
            print("client: line %d: unknown command %r" % (number, word))
            ok = False
            break
    return ok


def main():
    if len(sys.argv) != 4:
        print(__doc__.strip().splitlines()[2])
        sys.exit(2)
    console = Console(int(sys.argv[1]), sys.argv[2])
    ok = run(console, sys.argv[3])
    console.drain(DEFAULT_EXPECT_SECONDS * 3)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
