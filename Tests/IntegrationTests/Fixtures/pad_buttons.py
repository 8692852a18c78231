#!/usr/bin/python3
"""`repcount session` with the DualSense's shoulder buttons, for the integration tests.

Builds the testbed through the umockdev library API (python3-gi, gir1.2-umockdev-1.0): the
DualSense USB fixture with the ioctl answers of its motion node and of its gamepad node. It starts
repcount, waits until repcount holds the gamepad node open (it opens it after the motion node),
then starts the motion stream and the button stream together, so the presses arrive while the
session runs, as they would from a person. A repcount still running 1.5 s later gets SIGINT
(Ctrl-C). Prints one JSON object: whether every step went as planned, whether SIGINT was needed,
repcount's exit status, stdout and stderr.

    /usr/bin/python3 pad_buttons.py REPCOUNT BUTTONS WORKDIR [REPCOUNT ARGUMENTS...]

BUTTONS is an evemu file for the gamepad node, or "none" for a run without presses.
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

HERE = os.path.dirname(os.path.abspath(__file__))
MOTION = "/dev/input/event11"
PAD = "/dev/input/event10"


def holds_open(pid, target):
    """True once process `pid` has a descriptor on `target` (a resolved path)."""
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


def wait_until(condition, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def main():
    repcount, buttons, workdir = sys.argv[1:4]
    arguments = sys.argv[4:]
    testbed = UMockdev.Testbed.new()
    testbed.add_from_file(os.path.join(HERE, "dualsense-usb.umockdev"))
    testbed.load_ioctl(MOTION, os.path.join(HERE, "dualsense-usb.ioctl"))
    testbed.load_ioctl(PAD, os.path.join(HERE, "dualsense-usb-pad.ioctl"))
    # The testbed's device nodes are ptys; repcount's descriptor shows the pty's own path.
    pad_pty = os.path.realpath(os.path.join(testbed.get_root_dir(), PAD.lstrip("/")))
    env = dict(os.environ, LD_PRELOAD="libumockdev-preload.so.0",
               UMOCKDEV_DIR=testbed.get_root_dir())
    out_path = os.path.join(workdir, "stdout")
    err_path = os.path.join(workdir, "stderr")
    steps = []
    interrupted = False

    with open(out_path, "w") as out, open(err_path, "w") as err:
        process = subprocess.Popen([repcount] + arguments, env=env, stdout=out, stderr=err)
        try:
            steps.append(wait_until(lambda: holds_open(process.pid, pad_pty), 10.0))
            testbed.load_evemu_events(MOTION, os.path.join(HERE, "dualsense-usb-resting.evemu"))
            if buttons != "none":
                testbed.load_evemu_events(PAD, buttons)
            try:
                status = process.wait(timeout=1.5)
            except subprocess.TimeoutExpired:
                interrupted = True
                process.send_signal(signal.SIGINT)
                status = process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            status = "timeout"
    with open(out_path) as out, open(err_path) as err:
        print(json.dumps({"steps": steps, "interrupted": interrupted, "status": status,
                          "stdout": out.read(), "stderr": err.read()}))


if __name__ == "__main__":
    main()
