#!/usr/bin/python3
"""Hotplug scenarios for the integration tests.

umockdev-run cannot send uevents, so this builds the testbed through the umockdev library API
(python3-gi, gir1.2-umockdev-1.0), runs repcount inside it, plugs and unplugs the DualSense USB
fixture, and prints one JSON object: repcount's exit status, stdout and stderr.

It must itself run under the umockdev preload (the library's uevent sender looks the device up
through libudev), which the Swift test arranges:
    LD_PRELOAD=libumockdev-preload.so.0 /usr/bin/python3 hotplug.py SCENARIO REPCOUNT WORKDIR

Scenarios:
  unplug      record; the device is removed after 10 frames
  replug      record --wait --frames 20; removed after 10 frames, back 0.3 s later
  interrupt   record without limits; SIGINT after 10 frames
  watch       devices --watch --json; a device is added, then removed, then SIGINT
  late        record --device auto --wait --frames 10 started before any device exists
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
NODE = "/dev/input/event11"
HID = "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.3/0003:054C:0CE6.%04X"
# Plugged in again, the controller gets a new HID instance and new input/event numbers.
INSTANCES = {"first": (1, 10, "dualsense-usb"), "again": (5, 13, "dualsense-usb-replugged")}


def nodes(instance):
    sequence, pad, _ = INSTANCES[instance]
    hid = HID % sequence
    return hid, [hid + "/input/input%d/event%d" % (n, n) for n in (pad, pad + 1, pad + 2)]


def motion_node(instance):
    return "/dev/input/event%d" % (INSTANCES[instance][1] + 1)


def plug(testbed, instance="first", announce=False):
    fixture = INSTANCES[instance][2]
    testbed.add_from_file(os.path.join(HERE, fixture + ".umockdev"))
    testbed.load_ioctl(motion_node(instance), os.path.join(HERE, fixture + ".ioctl"))
    if announce:
        for path in nodes(instance)[1]:
            testbed.uevent(path, "add")


def start_events(testbed, instance="first"):
    fixture = INSTANCES[instance][2]
    testbed.load_evemu_events(motion_node(instance), os.path.join(HERE, fixture + ".evemu"))


def unplug(testbed, instance="first"):
    hid, paths = nodes(instance)
    for path in reversed(paths):
        testbed.uevent(path, "remove")
    testbed.remove_device(hid)


def wait_for_lines(path, count, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open(path) as handle:
                if handle.read().count("\n") >= count:
                    return True
        except FileNotFoundError:
            pass
        time.sleep(0.02)
    return False


def wait_for_text(path, text, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with open(path) as handle:
            if text in handle.read():
                return True
        time.sleep(0.02)
    return False


def main():
    scenario, repcount, workdir = sys.argv[1:4]
    testbed = UMockdev.Testbed.new()
    env = dict(os.environ, LD_PRELOAD="libumockdev-preload.so.0",
               UMOCKDEV_DIR=testbed.get_root_dir())
    out_path = os.path.join(workdir, "stdout")
    err_path = os.path.join(workdir, "stderr")
    dump = os.path.join(workdir, "frames.jsonl")
    recording = os.path.join(workdir, "recording.evemu")
    steps = []

    if scenario == "watch":
        arguments = ["devices", "--watch", "--json"]
    elif scenario == "late":
        arguments = ["record", "--device", "auto", "--wait", "--frames", "10", "--out", recording,
                     "--dump-frames", dump]
    else:
        plug(testbed)
        arguments = ["record", "--device", NODE, "--out", recording, "--dump-frames", dump]
        if scenario == "replug":
            arguments += ["--wait", "--frames", "20"]

    with open(out_path, "w") as out, open(err_path, "w") as err:
        process = subprocess.Popen([repcount] + arguments, env=env, stdout=out, stderr=err)
        try:
            if scenario == "watch":
                steps.append(wait_for_text(err_path, "watching"))
                plug(testbed, announce=True)
                steps.append(wait_for_text(out_path, '"event":"add"'))
                unplug(testbed)
                steps.append(wait_for_text(out_path, '"event":"remove"'))
                process.send_signal(signal.SIGINT)
            elif scenario == "late":
                steps.append(wait_for_text(err_path, "waiting for a motion sensor to appear"))
                plug(testbed, announce=True)
                steps.append(wait_for_text(err_path, "recording /dev/input/event11"))
                start_events(testbed)
            else:
                time.sleep(0.3)
                start_events(testbed)
                steps.append(wait_for_lines(dump, 10))
                if scenario == "interrupt":
                    process.send_signal(signal.SIGINT)
                else:
                    unplug(testbed)
                if scenario == "replug":
                    steps.append(wait_for_text(err_path, "waiting for it to come back"))
                    time.sleep(0.3)
                    plug(testbed, "again", announce=True)
                    steps.append(wait_for_text(err_path, "is back as"))
                    start_events(testbed, "again")
            status = process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            status = "timeout"
    with open(out_path) as out, open(err_path) as err:
        print(json.dumps({"status": status, "steps": steps, "stdout": out.read(),
                          "stderr": err.read()}))


if __name__ == "__main__":
    main()
