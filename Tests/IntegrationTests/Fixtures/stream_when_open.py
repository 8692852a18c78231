#!/usr/bin/python3
"""Runs repcount on one motion node and streams events to it once repcount reads the node.

umockdev's own replay (`umockdev-run -e`, `load_evemu_events`) cannot carry a long stream
reliably: it starts when it is loaded, and it writes on whether or not the program reads. The
node is a pty, and once more than 4095 bytes are on their way (about 85 ms of a 250 Hz
DualSense) a read tears an event and libevdev fails with EINVAL, which a busy machine (two
cores, the other tests, builds) gets now and then: a pty passes written bytes on from a kernel
worker, so they can pile up even while the reader waits. A kernel evdev node never tears an
event. So this builds the testbed through the umockdev library API (python3-gi,
gir1.2-umockdev-1.0), starts repcount, waits until repcount has held the node open for 0.3 s
(it opens it briefly while it looks for motion nodes, then for good), and writes EVENTS to the
pty itself: one report (up to SYN_REPORT) per write, at the pace of the event times, and never
more than 2048 bytes ahead of what repcount has read (its `rchar` in /proc/PID/io: while the
stream runs, `calibrate` reads nothing else; whatever else a command read would let the stream
run ahead by as much). The event times are the written ones (read as evemu reads them,
`%lu.%06u`), so a report delivered late still has its own time.

    /usr/bin/python3 stream_when_open.py [--speed FACTOR] [--interrupt-at SECONDS] UMOCKDEV \
        IOCTL EVENTS REPCOUNT WORKDIR [REPCOUNT ARGUMENTS...]

UMOCKDEV is the sysfs description, IOCTL the node's ioctl answers (its `@DEV` line names the
node), EVENTS an evemu file for it. --speed FACTOR writes the stream FACTOR times as fast as
its event times say (default 1). With --interrupt-at SECONDS, once repcount has read the
stream up to that many seconds past its first event, it gets SIGINT (Ctrl-C), sent to repcount
alone. A repcount still running 5 s after it has read the whole stream gets SIGINT too (it can
only be stuck), and one that does not end 10 s after SIGINT is killed. Prints one JSON object:
whether repcount opened the node, whether SIGINT was sent, repcount's exit status (null when it
had to be killed), stdout and stderr.
"""

import json
import os
import signal
import struct
import subprocess
import sys
import time

import gi

gi.require_version("UMockdev", "1.0")
from gi.repository import UMockdev  # noqa: E402

from testbed_nodes import device_node, holds_open, pty  # noqa: E402

# Bytes written and not yet read beyond which the next report waits: under the 4095 a pty read
# can return, so every read returns whole events.
MOST_UNREAD_BYTES = 2048
# struct input_event: struct timeval (two longs), type, code, value.
INPUT_EVENT = struct.Struct("@llHHi")
SYN_REPORT = (0, 0)


def held_open(process, target, seconds, timeout=20.0):
    """True once `process` has held `target` open for `seconds` without a break."""
    deadline = time.monotonic() + timeout
    since = None
    while time.monotonic() < deadline and process.poll() is None:
        now = time.monotonic()
        if holds_open(process.pid, target):
            since = since or now
            if now - since >= seconds:
                return True
        else:
            since = None
        time.sleep(0.01)
    return False


def reports(path):
    """The evemu file's events as (time in µs, packed reports), one per SYN_REPORT."""
    result = []
    pending = []
    with open(path) as handle:
        for line in handle:
            fields = line.split("#", 1)[0].split()
            if fields[:1] != ["E:"]:
                continue
            seconds, microseconds = fields[1].split(".")
            kind, code, value = int(fields[2], 16), int(fields[3], 16), int(fields[4])
            pending.append(INPUT_EVENT.pack(int(seconds), int(microseconds), kind, code, value))
            if (kind, code) == SYN_REPORT:
                result.append((int(seconds) * 1_000_000 + int(microseconds), b"".join(pending)))
                pending = []
    return result


class PtyWriter:
    """The master side of the node, and how much of what it wrote repcount has read."""

    def __init__(self, descriptor, process):
        self.descriptor = descriptor
        self.process = process
        self.written = 0
        self.read_before = self.bytes_read()

    def bytes_read(self):
        with open("/proc/%d/io" % self.process.pid) as handle:
            for line in handle:
                if line.startswith("rchar:"):
                    return int(line.split()[1])
        return 0

    def unread(self):
        """Bytes written that repcount has not read (0 once it has ended)."""
        try:
            return self.written - (self.bytes_read() - self.read_before)
        except OSError:
            return 0

    def write(self, data):
        """Writes `data` once it fits under MOST_UNREAD_BYTES; False if repcount ended."""
        while self.process.poll() is None:
            if self.unread() + len(data) <= MOST_UNREAD_BYTES:
                os.write(self.descriptor, data)
                self.written += len(data)
                return True
            time.sleep(0.001)
        return False

    def drain(self, timeout=10.0):
        """Waits until repcount has read everything written (or has ended)."""
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and self.unread() > 0 and time.monotonic() < deadline:
            time.sleep(0.005)


def stream(writer, path, speed, interrupt_at):
    """Writes the reports at `speed` times their pace; returns True when it stopped at
    `interrupt_at` (seconds of the stream's own time)."""
    items = reports(path)
    first = items[0][0]
    start = time.monotonic()
    for microseconds, data in items:
        offset = (microseconds - first) / 1e6
        if interrupt_at is not None and offset > interrupt_at:
            return True
        time.sleep(max(0.0, start + offset / speed - time.monotonic()))
        if not writer.write(data):
            return False
    return False


def main():
    speed = 1.0
    interrupt_at = None
    while sys.argv[1] in ("--speed", "--interrupt-at"):
        if sys.argv[1] == "--speed":
            speed = float(sys.argv[2])
        else:
            interrupt_at = float(sys.argv[2])
        del sys.argv[1:3]
    description, ioctl, events, repcount, workdir = sys.argv[1:6]
    arguments = sys.argv[6:]
    testbed = UMockdev.Testbed.new()
    testbed.add_from_file(description)
    node = device_node(ioctl)
    testbed.load_ioctl(node, ioctl)
    env = dict(os.environ, LD_PRELOAD="libumockdev-preload.so.0",
               UMOCKDEV_DIR=testbed.get_root_dir())
    out_path = os.path.join(workdir, "stdout")
    err_path = os.path.join(workdir, "stderr")
    interrupted = False

    with open(out_path, "w") as out, open(err_path, "w") as err:
        process = subprocess.Popen([repcount] + arguments, env=env, stdout=out, stderr=err)
        opened = held_open(process, pty(testbed, node), 0.3)
        stopped_early = False
        if opened:
            writer = PtyWriter(testbed.get_dev_fd(node), process)
            stopped_early = stream(writer, events, speed, interrupt_at)
            writer.drain()
        try:
            # Interrupted on purpose: at once. Otherwise a repcount that read the whole stream
            # and is still running 5 s later is stuck; Ctrl-C makes it say where and flush.
            status = process.wait(timeout=0 if stopped_early else 5)
        except subprocess.TimeoutExpired:
            interrupted = True
            process.send_signal(signal.SIGINT)
            try:
                status = process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                status = None
    with open(out_path) as out, open(err_path) as err:
        print(json.dumps({"opened": opened, "interrupted": interrupted, "status": status,
                          "stdout": out.read(), "stderr": err.read()}))


if __name__ == "__main__":
    main()
