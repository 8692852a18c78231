#!/usr/bin/python3
"""Runs repcount on one motion node whose event stream starts once repcount reads the node.

umockdev-run starts an `-e` stream when it starts, so whatever repcount has not read by the time
it opens the node is waiting in the node's pty; past 4095 bytes (about 85 ms of a 250 Hz
DualSense) its first read tears an event and libevdev fails with EINVAL. This builds the testbed
through the umockdev library API (python3-gi, gir1.2-umockdev-1.0) instead, starts repcount, and
loads EVENTS only once repcount has held the node open for 0.3 s: it opens the node briefly while
it looks for motion nodes, then for good to read it. With --interrupt-after SECONDS, repcount
still running that long after the stream started gets SIGINT (Ctrl-C), sent to repcount alone;
so does one still running --timeout SECONDS (default 120) after the stream started, and one that
does not end 10 s after SIGINT is killed.
Prints one JSON object: whether repcount opened the node, whether SIGINT was sent, repcount's
exit status (null when it had to be killed), stdout and stderr.

    /usr/bin/python3 stream_when_open.py [--interrupt-after SECONDS] [--timeout SECONDS] \
        UMOCKDEV IOCTL EVENTS REPCOUNT WORKDIR [REPCOUNT ARGUMENTS...]

UMOCKDEV is the sysfs description, IOCTL the node's ioctl answers (its `@DEV` line names the
node), EVENTS the evemu stream for it.
"""

import json
import os
import signal
import subprocess
import sys
import time

import gi

gi.require_version("UMockdev", "1.0")
from gi.repository import UMockdev  # noqa: E402

def holds_open(pid, target):
    """True while process `pid` has a descriptor on `target` (a resolved path)."""
    directory = "/proc/%d/fd" % pid
    try:
        descriptors = os.listdir(directory)
    except FileNotFoundError:
        return False
    for descriptor in descriptors:
        try:
            if os.readlink(os.path.join(directory, descriptor)) == target:
                return True
        except OSError:
            continue
    return False


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


def device_node(ioctl_path):
    """The node an ioctl file answers for, from its first line (`@DEV /dev/input/eventN`)."""
    with open(ioctl_path) as handle:
        first = handle.readline().split()
    if first[:1] != ["@DEV"] or len(first) != 2:
        sys.exit("%s: first line is not '@DEV /dev/input/eventN'" % ioctl_path)
    return first[1]


def main():
    interrupt_after = None
    timeout = 120.0
    while sys.argv[1] in ("--interrupt-after", "--timeout"):
        if sys.argv[1] == "--interrupt-after":
            interrupt_after = float(sys.argv[2])
        else:
            timeout = float(sys.argv[2])
        del sys.argv[1:3]
    description, ioctl, events, repcount, workdir = sys.argv[1:6]
    arguments = sys.argv[6:]
    testbed = UMockdev.Testbed.new()
    testbed.add_from_file(description)
    node = device_node(ioctl)
    testbed.load_ioctl(node, ioctl)
    # The testbed's nodes are ptys; repcount's descriptor shows the pty's own path.
    pty = os.path.realpath(os.path.join(testbed.get_root_dir(), node.lstrip("/")))
    env = dict(os.environ, LD_PRELOAD="libumockdev-preload.so.0",
               UMOCKDEV_DIR=testbed.get_root_dir())
    out_path = os.path.join(workdir, "stdout")
    err_path = os.path.join(workdir, "stderr")
    interrupted = False

    with open(out_path, "w") as out, open(err_path, "w") as err:
        process = subprocess.Popen([repcount] + arguments, env=env, stdout=out, stderr=err)
        opened = held_open(process, pty, 0.3)
        if opened:
            testbed.load_evemu_events(node, events)
        try:
            status = process.wait(timeout=interrupt_after or timeout)
        except subprocess.TimeoutExpired:
            # Ctrl-C, also on a timeout: repcount then says where it was and flushes its output.
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
