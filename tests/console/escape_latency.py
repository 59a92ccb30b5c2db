#!/usr/bin/env python3
"""tests/console/escape_latency.py: how long the escape took, from Bochs's log.

Usage: escape_latency.py BOCHS_LOG

Reads the COM1 debug messages of a Bochs run with `debug: ..., serial=report`
(tools/bochsrc.sh --debug-module serial): "com1: read byte [0xNN]" when a
byte from the line enters the UART, "com1: write byte [0xNN]" when one
leaves it, each with the emulated tick in the line's prefix.  Finds the
first time the escape key (Ctrl-A) arrived three times in a row, and after
that the first time the monitor's prompt "(hv) " was sent, and prints

    ESCAPE_TICK PROMPT_TICK TICKS

(TICKS = PROMPT_TICK - ESCAPE_TICK: from the third escape key in the UART
to the prompt's last byte on the line).  With `clock: sync=none` a tick is
one emulated instruction and one TSC tick.  Exits 1 when either is missing.
"""
import re
import sys

ESCAPE_KEY = 0x01
ESCAPE_PRESSES = 3
PROMPT = b"(hv) "
LINE = re.compile(rb"^(\d+)d\[SER\s*\] com1: (read|write) byte \[0x([0-9a-f]{2})\]")


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2])
        return 2
    run = 0
    escape_tick = None
    sent = b""
    with open(sys.argv[1], "rb") as log:
        for line in log:
            m = LINE.match(line)
            if not m:
                continue
            tick, kind, byte = int(m.group(1)), m.group(2), int(m.group(3), 16)
            if escape_tick is None:
                if kind == b"read":
                    run = run + 1 if byte == ESCAPE_KEY else 0
                    if run == ESCAPE_PRESSES:
                        escape_tick = tick
                continue
            if kind == b"write":
                sent += bytes([byte])
                if sent.endswith(PROMPT):
                    print(escape_tick, tick, tick - escape_tick)
                    return 0
    print("escape_latency: no escape%s" %
          (" followed by a prompt" if escape_tick is not None else ""))
    return 1


if __name__ == "__main__":
    sys.exit(main())
