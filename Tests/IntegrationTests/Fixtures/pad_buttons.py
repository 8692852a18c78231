#!/usr/bin/python3
"""`repcount session` with a controller's count buttons, for the integration tests.

Builds the testbed through the umockdev library API (python3-gi, gir1.2-umockdev-1.0): a device
fixture (default dualsense-usb) with the ioctl answers of its motion node (NAME.ioctl, and
NAME-motion-plus.ioctl where there is one) and of its gamepad/buttons node (NAME-pad.ioctl); the
node paths come from the `@DEV` line of each file. It starts repcount, waits until repcount holds
the gamepad node open (it opens it after the motion node), then starts the motion stream
(NAME-resting.evemu) and the button stream together, so the presses arrive while the session
runs, as they would from a person. A repcount still running 1.5 s later (2.5 s with --replug,
whose streams pause 1 s first) gets SIGINT (Ctrl-C). Prints one JSON object: whether every step
went as planned, whether SIGINT was needed, repcount's exit status, stdout and stderr.

    /usr/bin/python3 pad_buttons.py [--replug] [--fixture NAME] REPCOUNT BUTTONS WORKDIR \
        [REPCOUNT ARGUMENTS...]

BUTTONS is an evemu file for the gamepad node, or "none" for a run without presses.

With --replug (for `session --wait`; the DualSense USB fixture only) the controller is unplugged
and plugged in again before the
presses: once repcount holds the first gamepad node open, the ten frames of dualsense-usb.evemu,
then the unplug; once repcount waits for the controller, the replugged instance (new HID
instance, gamepad node event13, motion node event14). Once repcount is back, the replugged
resting stream (ten frames, a 1 s pause for repcount to reopen the buttons, then 0.8 s), and once
repcount holds the new gamepad node open, BUTTONS on it. The uevents need this script itself to
run under the umockdev preload:
    LD_PRELOAD=libumockdev-preload.so.0 /usr/bin/python3 pad_buttons.py --replug ...
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

from testbed_nodes import device_node, holds_open, pty  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
# The DualSense's motion node, which the replug scenario streams to before the unplug.
MOTION = "/dev/input/event11"
# The same controller plugged in again: a new HID instance with new event numbers.
HID = "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.3/0003:054C:0CE6.%04X"
FIRST = (HID % 1, 10)
AGAIN = (HID % 5, 13)
REPLUGGED_MOTION = "/dev/input/event14"
REPLUGGED_PAD = "/dev/input/event13"


def wait_until(condition, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def wait_for_text(path, text, timeout=10.0):
    def found():
        with open(path) as handle:
            return text in handle.read()
    return wait_until(found, timeout)


def event_paths(instance):
    """The instance's gamepad, motion and touchpad nodes in sysfs, in the order they appear."""
    hid, pad = instance
    return [hid + "/input/input%d/event%d" % (n, n) for n in (pad, pad + 1, pad + 2)]


def unplug(testbed, instance):
    for path in reversed(event_paths(instance)):
        testbed.uevent(path, "remove")
    testbed.remove_device(instance[0])


def plug_again(testbed):
    testbed.add_from_file(os.path.join(HERE, "dualsense-usb-replugged.umockdev"))
    testbed.load_ioctl(REPLUGGED_MOTION, os.path.join(HERE, "dualsense-usb-replugged.ioctl"))
    testbed.load_ioctl(REPLUGGED_PAD, os.path.join(HERE, "dualsense-usb-replugged-pad.ioctl"))
    for path in event_paths(AGAIN):
        testbed.uevent(path, "add")


def replug_then_press(testbed, process, buttons, err_path, steps):
    """Motion, unplug, replug, then the presses on the new gamepad node. Event times go on
    across the replug (1.1 s, then 2.1 s and 3.1 s to 3.9 s): repcount drops frames whose time
    goes backwards."""
    testbed.load_evemu_events(MOTION, os.path.join(HERE, "dualsense-usb.evemu"))
    time.sleep(1.0)
    unplug(testbed, FIRST)
    steps.append(wait_for_text(err_path, "waiting for it to come back"))
    time.sleep(0.3)
    plug_again(testbed)
    steps.append(wait_for_text(err_path, "is back as " + REPLUGGED_MOTION))
    # repcount looks for the new gamepad node between frames: the replugged stream opens with ten
    # frames and a 1 s pause for that; the presses start when repcount holds the node open and
    # arrive, on the stream's clock, after the pause.
    testbed.load_evemu_events(
        REPLUGGED_MOTION, os.path.join(HERE, "dualsense-usb-replugged-resting.evemu"))
    steps.append(wait_until(lambda: holds_open(process.pid, pty(testbed, REPLUGGED_PAD)), 10.0))
    if buttons != "none":
        testbed.load_evemu_events(REPLUGGED_PAD, buttons)


def load_fixture(testbed, fixture):
    """Loads FIXTURE's sysfs and the ioctl answers of its nodes; returns (motion, pad) paths."""
    testbed.add_from_file(os.path.join(HERE, fixture + ".umockdev"))
    nodes = []
    for suffix in ("", "-pad", "-motion-plus"):
        path = os.path.join(HERE, fixture + suffix + ".ioctl")
        if suffix == "-motion-plus" and not os.path.exists(path):
            continue
        node = device_node(path)
        testbed.load_ioctl(node, path)
        nodes.append(node)
    return nodes[0], nodes[1]


def main():
    replug = sys.argv[1] == "--replug"
    if replug:
        del sys.argv[1]
    fixture = "dualsense-usb"
    if sys.argv[1] == "--fixture":
        fixture = sys.argv[2]
        del sys.argv[1:3]
    if replug and fixture != "dualsense-usb":
        sys.exit("--replug has files for the dualsense-usb fixture only")
    repcount, buttons, workdir = sys.argv[1:4]
    arguments = sys.argv[4:]
    testbed = UMockdev.Testbed.new()
    motion, pad = load_fixture(testbed, fixture)
    pad_pty = pty(testbed, pad)
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
            if replug:
                replug_then_press(testbed, process, buttons, err_path, steps)
            else:
                testbed.load_evemu_events(
                    motion, os.path.join(HERE, fixture + "-resting.evemu"))
                if buttons != "none":
                    testbed.load_evemu_events(pad, buttons)
            try:
                # With presses the session ends by itself once they are read: wait as long as a
                # loaded machine may need. Without, it waits for Ctrl-C: give it a moment only.
                status = process.wait(
                    timeout=(2.5 if replug else 1.5) if buttons == "none" else 20)
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
