#!/usr/bin/env python3
"""Writes the umockdev fixtures of every motion device repcount knows.

For each device this writes, next to this script:
  NAME.umockdev        sysfs + udev database: the HID parent, the motion node and (where the
                       real controller has one) its gamepad/buttons node
  NAME.ioctl           the evdev ioctl answers libevdev asks the motion node for
  NAME.evemu           a short evemu recording of the motion node (header + E: lines), replayed
                       by `umockdev-run -e`
and extra files for special cases: a SYN_DROPPED stream, and, for every controller with a
gamepad/buttons node, that node's ioctl answers, presses of the two buttons `session` counts with
and a longer resting motion stream to go with them (for the DualSense also for its replugged
instance).

The facts (names, ids, absinfo incl. fuzz and resolution, properties, uniq format, sysfs layout,
report rates, timestamp behaviour, which key codes each button sends) follow the kernel drivers:
hid-playstation, hid-sony, hid-nintendo, hid-wiimote, hid-steam and lis3lv02d. Event node numbers are unique across all
fixtures so several can be loaded into one testbed.

Run: python3 Tests/IntegrationTests/Fixtures/generate.py  (no arguments; rewrites the files)
"""

import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

EV_SYN, EV_KEY, EV_ABS, EV_MSC = 0x00, 0x01, 0x03, 0x04
SYN_REPORT, SYN_DROPPED = 0, 3
ABS_X, ABS_Y, ABS_Z, ABS_RX, ABS_RY, ABS_RZ = range(6)
ABS_HAT0X, ABS_HAT0Y, ABS_HAT1X, ABS_HAT1Y, ABS_HAT2X, ABS_HAT2Y = range(0x10, 0x16)
MSC_TIMESTAMP = 0x05
KEY_UP, KEY_LEFT, KEY_RIGHT, KEY_DOWN = 103, 105, 106, 108
KEY_NEXT, KEY_PREVIOUS = 0x197, 0x19C
BTN_1, BTN_2 = 0x101, 0x102
BTN_THUMB, BTN_THUMB2, BTN_BASE = 0x121, 0x122, 0x126
BTN_SOUTH, BTN_EAST, BTN_NORTH, BTN_WEST, BTN_Z = 0x130, 0x131, 0x133, 0x134, 0x135
BTN_TL, BTN_TR, BTN_TL2, BTN_TR2 = 0x136, 0x137, 0x138, 0x139
BTN_SELECT, BTN_START, BTN_MODE, BTN_THUMBL, BTN_THUMBR = 0x13A, 0x13B, 0x13C, 0x13D, 0x13E
BTN_DPAD_UP, BTN_DPAD_DOWN, BTN_DPAD_LEFT, BTN_DPAD_RIGHT = 0x220, 0x221, 0x222, 0x223
BTN_TRIGGER_HAPPY1 = 0x2C0
INPUT_PROP_ACCELEROMETER = 6
BUS_USB, BUS_BLUETOOTH, BUS_HOST = 0x03, 0x05, 0x19

# Gamepad buttons (BTN_SOUTH..BTN_THUMBR), as the Sony fixtures have them.
PAD_KEYS = list(range(0x130, 0x13F))
# hid-wiimote-modules.c wiimod_keys_map: the D-pad, Plus (KEY_NEXT), Minus (KEY_PREVIOUS), 1, 2,
# A, B and Home.
WII_KEYS = [KEY_UP, KEY_LEFT, KEY_RIGHT, KEY_DOWN, BTN_1, BTN_2, BTN_SOUTH, BTN_EAST, BTN_MODE,
            KEY_NEXT, KEY_PREVIOUS]
# hid-nintendo.c, one list per controller type (left/right_joycon_button_mappings plus the
# _s_ lists, procon_button_mappings). A single Joy-Con reports its SL/SR rail buttons on the
# triggers of the side it lacks: SL/SR are BTN_TR/BTN_TR2 on the left one, BTN_TL/BTN_TL2 on the
# right one (not in the Charging Grip).
JOYCON_LEFT_KEYS = [BTN_TL, BTN_TL2, BTN_SELECT, BTN_THUMBL, BTN_DPAD_UP, BTN_DPAD_DOWN,
                    BTN_DPAD_LEFT, BTN_DPAD_RIGHT, BTN_Z, BTN_TR, BTN_TR2]
JOYCON_RIGHT_KEYS = [BTN_EAST, BTN_SOUTH, BTN_NORTH, BTN_WEST, BTN_TR, BTN_TR2, BTN_START,
                     BTN_THUMBR, BTN_MODE, BTN_TL, BTN_TL2]
PRO_CONTROLLER_KEYS = [BTN_EAST, BTN_SOUTH, BTN_NORTH, BTN_WEST, BTN_TL, BTN_TR, BTN_TL2, BTN_TR2,
                       BTN_SELECT, BTN_START, BTN_THUMBL, BTN_THUMBR, BTN_MODE, BTN_Z]
# hid-steam.c steam_input_register with STEAM_QUIRK_DECK (BTN_A/B/X/Y are SOUTH/EAST/NORTH/WEST;
# the four back grips are BTN_TRIGGER_HAPPY1-4, the "..." button BTN_BASE).
STEAM_DECK_KEYS = [BTN_TR2, BTN_TL2, BTN_TR, BTN_TL, BTN_WEST, BTN_EAST, BTN_NORTH, BTN_SOUTH,
                   BTN_DPAD_UP, BTN_DPAD_RIGHT, BTN_DPAD_LEFT, BTN_DPAD_DOWN, BTN_SELECT, BTN_MODE,
                   BTN_START, BTN_THUMBR, BTN_THUMBL, BTN_THUMB, BTN_THUMB2, BTN_BASE] + [
                       BTN_TRIGGER_HAPPY1 + n for n in range(4)]

USB_ROOT = "/devices/pci0000:00/0000:00:14.0/usb1"
BT_ROOT = USB_ROOT + "/1-10/1-10:1.0/bluetooth/hci0"


def absinfo(minimum, maximum, fuzz, flat, resolution, value=0):
    return dict(value=value, minimum=minimum, maximum=maximum, fuzz=fuzz, flat=flat,
                resolution=resolution)


def sony_axes(accel_res=8192, gyro_res=1024):
    accel = absinfo(-32768, 32768, 16, 0, accel_res)
    gyro = absinfo(-2097152, 2097152, 16, 0, gyro_res)
    return {ABS_X: accel, ABS_Y: accel, ABS_Z: accel, ABS_RX: gyro, ABS_RY: gyro, ABS_RZ: gyro}


def nintendo_axes():
    accel = absinfo(-32767, 32767, 10, 0, 4096)
    gyro = absinfo(-32767000, 32767000, 10, 0, 14247)
    return {ABS_X: accel, ABS_Y: accel, ABS_Z: accel, ABS_RX: gyro, ABS_RY: gyro, ABS_RZ: gyro}


def pad_axes():
    stick = absinfo(0, 255, 0, 15, 0, 128)
    hat = absinfo(-1, 1, 0, 0, 0)
    return {ABS_X: stick, ABS_Y: stick, ABS_RX: stick, ABS_RY: stick, ABS_HAT0X: hat,
            ABS_HAT0Y: hat}


def nintendo_pad_axes(kind):
    """hid-nintendo sticks (JC_MAX_STICK_MAG 32767, fuzz 250, flat 500): the left stick on X/Y,
    the right on RX/RY; the Pro Controller also has its D-pad as a hat."""
    stick = absinfo(-32767, 32767, 250, 500, 0)
    axes = {}
    if kind in ("left", "pro"):
        axes.update({ABS_X: stick, ABS_Y: stick})
    if kind in ("right", "pro"):
        axes.update({ABS_RX: stick, ABS_RY: stick})
    if kind == "pro":
        hat = absinfo(-1, 1, 0, 0, 0)
        axes.update({ABS_HAT0X: hat, ABS_HAT0Y: hat})
    return axes


def steam_deck_pad_axes():
    """hid-steam with STEAM_QUIRK_DECK: sticks (res 6553), trackpads on HAT0/HAT1 (fuzz 256,
    res 1638), triggers on HAT2 (res 5461)."""
    stick = absinfo(-32767, 32767, 0, 0, 6553)
    pad = absinfo(-32767, 32767, 256, 0, 1638)
    trigger = absinfo(0, 32767, 0, 0, 5461)
    return {ABS_X: stick, ABS_Y: stick, ABS_RX: stick, ABS_RY: stick, ABS_HAT0X: pad,
            ABS_HAT0Y: pad, ABS_HAT1X: pad, ABS_HAT1Y: pad, ABS_HAT2X: trigger,
            ABS_HAT2Y: trigger}


def with_values(axes, values):
    """The axes with `value` set from the first frame, as EVIOCGABS answers right after open."""
    out = {}
    for code, info in axes.items():
        info = dict(info)
        info["value"] = values.get(code, info["value"])
        out[code] = info
    return out


# ---------------------------------------------------------------------------------------------
# Event streams. A frame is (event time in µs, [(type, code, value), ...]); SYN_REPORT is added.
#
# umockdev 0.17 parses the microseconds of an `E:` time with C base auto-detection, so "004000"
# is read as octal (2048 µs) and "008000" fails (0 µs). Every stream therefore stays inside one
# second's .100000-.999999 window, where the field has no leading zero and the replayed event
# times are exactly the ones written here.

def frames_all_axes(first_time_us, step_us, count, axes_by_frame, timestamps=None):
    frames = []
    for index in range(count):
        events = [(EV_ABS, code, value) for code, value in axes_by_frame(index)]
        if timestamps is not None:
            events.append((EV_MSC, MSC_TIMESTAMP, to_s32(timestamps[index])))
        frames.append((first_time_us + index * step_us, events))
    return frames


def last_values(frames):
    values = {}
    for _, events in frames:
        for ev_type, code, value in events:
            if ev_type == EV_ABS:
                values[code] = value
    return values


def to_s32(value):
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value >= (1 << 31) else value


def sony_motion(index):
    """Resting face up (+1 g on Y), then a tilt: known raw values for the unit tests."""
    values = {ABS_X: 0, ABS_Y: 8192, ABS_Z: 0, ABS_RX: 1024, ABS_RY: -2048, ABS_RZ: 512}
    if index >= 5:
        values.update({ABS_X: 4096, ABS_Y: 4096, ABS_RX: 90 * 1024})
    return sorted(values.items())


def nintendo_bursts(first_time_us, first_stamp, reports, report_interval_us=15000,
                    tilt_from_report=2):
    """hid-nintendo: three IMU samples per report, back to back (event times ~µs apart);
    MSC_TIMESTAMP +5000 between samples, +20000 across reports, i.e. twice real time. From
    report `tilt_from_report` on (`None`: never) the pad is tilted."""
    frames = []
    stamp = first_stamp
    for report in range(reports):
        for sample in range(3):
            values = {ABS_X: 0, ABS_Y: 0, ABS_Z: 4096, ABS_RX: 0, ABS_RY: 0, ABS_RZ: 14247}
            if tilt_from_report is not None and report >= tilt_from_report:
                values[ABS_X] = 2048
            time_us = first_time_us + report * report_interval_us + sample * 30
            events = [(EV_ABS, code, value) for code, value in sorted(values.items())]
            events.append((EV_MSC, MSC_TIMESTAMP, to_s32(stamp)))
            frames.append((time_us, events))
            stamp += 5000 if sample < 2 else 20000
    return frames


# Resting streams for the pad-button sessions: the controller lying still for `duration_us`
# from `start_us`, at the device's report rate and with its timestamp behaviour, so that any
# repetition `session` counts comes from the buttons.

def sony_resting(start_us, first_stamp, duration_us):
    count = duration_us // 4000 + 1
    return frames_all_axes(start_us, 4000, count, lambda i: sony_motion(0),
                           [first_stamp + 4000 * i for i in range(count)])


def dualshock3_resting(start_us, first_stamp, duration_us):
    count = duration_us // 10000 + 1
    return frames_all_axes(start_us, 10000, count,
                           lambda i: [(ABS_X, 0), (ABS_Y, 113), (ABS_Z, 0)])


def nintendo_resting(start_us, first_stamp, duration_us):
    return nintendo_bursts(start_us, first_stamp, duration_us // 15000 + 1,
                           tilt_from_report=None)


def wii_resting(start_us, first_stamp, duration_us):
    count = duration_us // 10000 + 1
    return frames_all_axes(start_us, 10000, count,
                           lambda i: [(ABS_RX, 0), (ABS_RY, 0), (ABS_RZ, 100)])


def steam_deck_resting(start_us, first_stamp, duration_us):
    count = duration_us // 4000 + 1
    return frames_all_axes(
        start_us, 4000, count,
        lambda i: [(ABS_X, 0), (ABS_Y, 16384), (ABS_Z, 0), (ABS_RX, 16), (ABS_RY, 0),
                   (ABS_RZ, -32)],
        [first_stamp + 4000 * i for i in range(count)])


def pad_session(first_time_us, first_stamp, resting, add_one, take_one_off, lead_in_us=0):
    """What `write_pad_session` needs: where the streams start on the event clock, the resting
    stream, and the buttons as (what the controller calls it, the code the driver sends)."""
    return dict(first_time_us=first_time_us, first_stamp=first_stamp, resting=resting,
                add_one=add_one, take_one_off=take_one_off, lead_in_us=lead_in_us)


# The Sony pads' shoulder buttons: hid-playstation.c (dualsense_parse_report,
# dualshock4_parse_report) and hid-sony.c (sixaxis_keymap) report R1 as BTN_TR, L1 as BTN_TL.
SONY_R1, SONY_L1 = ("R1", BTN_TR), ("L1", BTN_TL)


# ---------------------------------------------------------------------------------------------
# Devices

def hid_device(kind, bus, vendor, product, seq, port):
    name = "%04X:%04X:%04X.%04X" % (bus, vendor, product, seq)
    if kind == "usb":
        return "%s/1-%d/1-%d:1.3/%s" % (USB_ROOT, port, port, name)
    return "%s/hci0:%d/%s" % (BT_ROOT, port, name)


def motion_node(name, event, axes, props, msc, frames, udev):
    return dict(role="motion", name=name, event=event, axes=axes, props=props, msc=msc,
                keys=[], frames=frames, udev=udev)


def pad_node(name, event, keys=PAD_KEYS, axes=None, udev=None):
    return dict(role="pad", name=name, event=event, axes=axes if axes is not None else pad_axes(),
                props=[], msc=False, keys=keys, frames=None,
                udev=udev if udev is not None else {"ID_INPUT_JOYSTICK": "1"})


ACCEL = {"ID_INPUT_ACCELEROMETER": "1"}


def sony(fixture, kind, product, seq, port, hid_name, version, uniq, frames, with_touchpad=False,
         accel_only=False, event=10, buttons=None):
    if accel_only:
        axis = absinfo(-512, 511, 4, 0, 113)
        axes = {ABS_X: axis, ABS_Y: axis, ABS_Z: axis}
    else:
        axes = sony_axes()
    bus = BUS_USB if kind == "usb" else BUS_BLUETOOTH
    nodes = [pad_node(hid_name, event),
             motion_node(hid_name + " Motion Sensors", event + 1, axes,
                         [INPUT_PROP_ACCELEROMETER], not accel_only, frames, ACCEL)]
    if with_touchpad:
        nodes.append(dict(role="touchpad", name=hid_name + " Touchpad", event=event + 2,
                          axes={0x35: absinfo(0, 1919, 0, 0, 0), 0x36: absinfo(0, 1079, 0, 0, 0)},
                          props=[0, 2], msc=False, keys=[0x110, 0x14A], frames=None,
                          udev={"ID_INPUT_TOUCHPAD": "1"}))
    device = dict(fixture=fixture, bus=bus, vendor=0x054C, product=product, version=version,
                  uniq=uniq, phys="", hid=hid_device(kind, bus, 0x054C, product, seq, port),
                  driver="playstation" if product != 0x0268 else "sony", nodes=nodes)
    if buttons is not None:
        device["pad_session"] = buttons
    return device


# hid-nintendo: which controller a product id is, its gamepad node's keys, and the buttons
# `session` counts with. A single Joy-Con is held sideways, SL/SR being its shoulder buttons:
# SR adds, SL takes off (left_/right_joycon_s_button_mappings); the Pro Controller has R and L
# (procon_button_mappings).
NINTENDO_PADS = {
    0x2006: ("left", JOYCON_LEFT_KEYS, ("SR", BTN_TR2), ("SL", BTN_TR)),
    0x2007: ("right", JOYCON_RIGHT_KEYS, ("SR", BTN_TL2), ("SL", BTN_TL)),
    0x2009: ("pro", PRO_CONTROLLER_KEYS, ("R", BTN_TR), ("L", BTN_TL)),
}


def nintendo(fixture, kind, product, seq, port, pad_name, imu_name, uniq, phys, event,
             pad_session_seconds=None):
    bus = BUS_USB if kind == "usb" else BUS_BLUETOOTH
    frames = nintendo_bursts(7_100_000, 1_000_000, 4)
    pad_kind, keys, add_one, take_one_off = NINTENDO_PADS[product]
    device = dict(fixture=fixture, bus=bus, vendor=0x057E, product=product, version=0x8001,
                  uniq=uniq, phys=phys, hid=hid_device(kind, bus, 0x057E, product, seq, port),
                  driver="nintendo",
                  nodes=[pad_node(pad_name, event, keys=keys, axes=nintendo_pad_axes(pad_kind)),
                         motion_node(imu_name, event + 1, nintendo_axes(),
                                     [INPUT_PROP_ACCELEROMETER], True, frames, ACCEL)])
    if pad_session_seconds is not None:
        device["pad_session"] = pad_session(pad_session_seconds * 1_000_000 + 100_000, 1_000_000,
                                            nintendo_resting, add_one, take_one_off)
    return device


def build_devices():
    devices = []

    # DualSense over USB: 250 Hz, hardware MSC_TIMESTAMP; with its touchpad node.
    devices.append(sony(
        "dualsense-usb", "usb", 0x0CE6, 0x0001, 2,
        "Sony Interactive Entertainment DualSense Wireless Controller", 0x8111,
        "a0:ab:51:5e:01:01",
        frames_all_axes(1_100_000, 4000, 10, sony_motion,
                        [500_000 + 4000 * i for i in range(10)]),
        with_touchpad=True, event=10,
        buttons=pad_session(1_100_000, 500_000, sony_resting, SONY_R1, SONY_L1)))

    # The same DualSense plugged in again: a new HID instance and new input/event numbers, the
    # same uniq (for the unplug/replug test; not part of the "all devices" testbed).
    devices.append(sony(
        "dualsense-usb-replugged", "usb", 0x0CE6, 0x0005, 2,
        "Sony Interactive Entertainment DualSense Wireless Controller", 0x8111,
        "a0:ab:51:5e:01:01",
        frames_all_axes(1_500_000, 4000, 10, sony_motion,
                        [900_000 + 4000 * i for i in range(10)]),
        with_touchpad=True, event=13,
        # Later on the event clock than the first instance's streams (time has to go on across
        # a replug, not restart), with ten frames and a 1 s pause first: `session` reopens the
        # buttons on the first frame after a replug, and umockdev's pty hands out torn events
        # (at most 4095 bytes a read) if the stream piles up meanwhile.
        buttons=pad_session(2_100_000, 900_000, sony_resting, SONY_R1, SONY_L1,
                            lead_in_us=1_000_000)))

    # DualSense over Bluetooth: ~1 kHz; MSC_TIMESTAMP crosses 2^31 (reads negative as __s32).
    devices.append(sony(
        "dualsense-bt", "bt", 0x0CE6, 0x0002, 256, "DualSense Wireless Controller", 0x8100,
        "a0:ab:51:5e:02:02",
        frames_all_axes(2_100_000, 1000, 10, sony_motion,
                        [(1 << 31) - 3000 + 1000 * i for i in range(10)]),
        event=20))

    # DualShock 4 v2 over USB: 250 Hz; MSC_TIMESTAMP crosses 2^32 (wraps to small values).
    devices.append(sony(
        "dualshock4-usb", "usb", 0x09CC, 0x0003, 3,
        "Sony Interactive Entertainment Wireless Controller", 0x8111, "1c:a0:b8:4d:03:03",
        frames_all_axes(3_100_000, 4000, 10, sony_motion,
                        [(1 << 32) - 8000 + 4000 * i for i in range(10)]),
        event=30, buttons=pad_session(3_100_000, 500_000, sony_resting, SONY_R1, SONY_L1)))

    # DualShock 3 over USB: accelerometer only, 113 per g, no MSC_TIMESTAMP (event time).
    devices.append(sony(
        "dualshock3-usb", "usb", 0x0268, 0x0004, 4, "Sony PLAYSTATION(R)3 Controller", 0x0111,
        "00:1b:fb:6a:04:04",
        frames_all_axes(4_100_000, 10000, 10,
                        lambda i: [(ABS_X, 0 if i < 5 else 56), (ABS_Y, 113), (ABS_Z, 0)]),
        accel_only=True, event=40,
        buttons=pad_session(4_100_000, 0, dualshock3_resting, SONY_R1, SONY_L1)))

    # Joy-Con and Pro Controller, new (>= 6.8, "%s (IMU)") and old (5.16-6.7) names.
    devices.append(nintendo("joycon-left", "bt", 0x2006, 0x0005, 257, "Joy-Con (L)",
                            "Joy-Con (L) (IMU)", "98:B6:E9:05:05:05", "dc:a6:32:00:00:01", 50,
                            pad_session_seconds=5))
    devices.append(nintendo("joycon-left-old", "bt", 0x2006, 0x0006, 258,
                            "Nintendo Switch Left Joy-Con", "Nintendo Switch Left Joy-Con IMU",
                            "98:B6:E9:06:06:06", "dc:a6:32:00:00:01", 60))
    devices.append(nintendo("joycon-right", "bt", 0x2007, 0x0007, 259, "Joy-Con (R)",
                            "Joy-Con (R) (IMU)", "98:B6:E9:07:07:07", "dc:a6:32:00:00:01", 70,
                            pad_session_seconds=7))
    devices.append(nintendo("joycon-right-old", "bt", 0x2007, 0x0008, 260,
                            "Nintendo Switch Right Joy-Con", "Nintendo Switch Right Joy-Con IMU",
                            "98:B6:E9:08:08:08", "dc:a6:32:00:00:01", 80))
    devices.append(nintendo("pro-controller-usb", "usb", 0x2009, 0x0009, 5,
                            "Nintendo Co., Ltd. Pro Controller",
                            "Nintendo Co., Ltd. Pro Controller (IMU)", "64:B5:C6:09:09:09",
                            "usb-0000:00:14.0-5/input0", 90, pad_session_seconds=9))
    devices.append(nintendo("pro-controller-old", "bt", 0x2009, 0x000A, 261,
                            "Nintendo Switch Pro Controller", "Nintendo Switch Pro Controller IMU",
                            "64:B5:C6:0A:0A:0A", "dc:a6:32:00:00:01", 100))

    # Wii Remote: keys, Accelerometer (RX/RY/RZ, res 0, no prop: udev does NOT tag it) and
    # Motion Plus, all children of one HID device; hid-wiimote sets no uniq.
    wii_accel = absinfo(-500, 500, 2, 4, 0)
    wii_gyro = absinfo(-16000, 16000, 4, 8, 0)
    devices.append(dict(
        fixture="wii-remote", bus=BUS_BLUETOOTH, vendor=0x057E, product=0x0306, version=0x0600,
        uniq="", phys="dc:a6:32:00:00:01",
        hid=hid_device("bt", BUS_BLUETOOTH, 0x057E, 0x0306, 0x000B, 262), driver="wiimote",
        nodes=[
            pad_node("Nintendo Wii Remote", 110, keys=WII_KEYS, axes={},
                     udev={"ID_INPUT_KEY": "1"}),
            motion_node("Nintendo Wii Remote Accelerometer", 111,
                        {ABS_RX: wii_accel, ABS_RY: wii_accel, ABS_RZ: wii_accel}, [], False,
                        frames_all_axes(11_100_000, 10000, 10,
                                        lambda i: [(ABS_RX, 0 if i < 5 else 50), (ABS_RY, 0),
                                                   (ABS_RZ, 100)]),
                        {}),
            motion_node("Nintendo Wii Remote Motion Plus", 112,
                        {ABS_RX: wii_gyro, ABS_RY: wii_gyro, ABS_RZ: wii_gyro}, [], False,
                        None, {}),
        ],
        # hid-wiimote-modules.c wiimod_keys_map: Plus is KEY_NEXT, Minus KEY_PREVIOUS.
        pad_session=pad_session(11_100_000, 0, wii_resting, ("Plus", KEY_NEXT),
                                ("Minus", KEY_PREVIOUS))))

    # Steam Deck: fixed +4000 µs MSC_TIMESTAMP per report whatever the real (jittery) interval.
    deck_accel = absinfo(-32768, 32768, 32, 0, 16384)
    deck_gyro = absinfo(-32768, 32768, 1, 0, 16)
    deck_gaps = [0, 3100, 5200, 4000, 2900, 6100, 3800, 4100, 1900, 5000]
    deck_times = [12_100_000 + sum(deck_gaps[:i + 1]) for i in range(10)]
    deck_frames = []
    for index, time_us in enumerate(deck_times):
        values = {ABS_X: 0, ABS_Y: 16384, ABS_Z: 0, ABS_RX: 16, ABS_RY: 0, ABS_RZ: -32}
        events = [(EV_ABS, code, value) for code, value in sorted(values.items())]
        events.append((EV_MSC, MSC_TIMESTAMP, 100_000 + 4000 * index))
        deck_frames.append((time_us, events))
    devices.append(dict(
        fixture="steam-deck", bus=BUS_USB, vendor=0x28DE, product=0x1205, version=0x0111,
        uniq="FVAA23456789", phys="usb-0000:04:00.4-3/input2",
        hid="/devices/pci0000:00/0000:00:08.1/0000:04:00.4/usb3/3-3/3-3:1.2/0003:28DE:1205.000C",
        driver="steam",
        nodes=[pad_node("Steam Deck", 120, keys=STEAM_DECK_KEYS, axes=steam_deck_pad_axes()),
               motion_node("Steam Deck Motion Sensors", 121,
                           {ABS_X: deck_accel, ABS_Y: deck_accel, ABS_Z: deck_accel,
                            ABS_RX: deck_gyro, ABS_RY: deck_gyro, ABS_RZ: deck_gyro},
                           [INPUT_PROP_ACCELEROMETER], True, deck_frames, ACCEL)],
        # hid-steam.c steam_do_deck_input_event: R1 is BTN_TR, L1 BTN_TL.
        pad_session=pad_session(12_100_000, 100_000, steam_deck_resting, ("R1", BTN_TR),
                                ("L1", BTN_TL))))

    # HP laptop accelerometer: milli-g, res 0, no prop (udev's fallback rule tags it), polled.
    lis_axis = absinfo(-2000, 2000, 2, 2, 0)
    devices.append(dict(
        fixture="lis3lv02d", bus=BUS_HOST, vendor=0, product=0, version=0,
        uniq="", phys="lis3lv02d/input0", hid=None, platform="/devices/platform/lis3lv02d",
        driver="lis3lv02d",
        nodes=[motion_node("ST LIS3LV02DL Accelerometer", 131,
                           {ABS_X: lis_axis, ABS_Y: lis_axis, ABS_Z: lis_axis}, [], False,
                           frames_all_axes(13_100_000, 50000, 8,
                                           lambda i: [(ABS_X, -20 if i < 4 else 500),
                                                      (ABS_Y, 12), (ABS_Z, 1000)]),
                           ACCEL)]))
    return devices


# ---------------------------------------------------------------------------------------------
# Writers

def bitmap(bits, size):
    data = bytearray(size)
    for bit in bits:
        data[bit // 8] |= 1 << (bit % 8)
    return bytes(data)


def kernel_bitmap_text(bits):
    """sysfs capabilities/* format: hex longs, most significant first, no leading zero longs."""
    if not bits:
        return "0"
    longs = [0] * (max(bits) // 64 + 1)
    for bit in bits:
        longs[bit // 64] |= 1 << (bit % 64)
    words = ["%x" % longs[-1]] + ["%016x" % word for word in reversed(longs[:-1])]
    return " ".join(words)


def ev_types(node):
    types = {EV_SYN}
    if node["keys"]:
        types.add(EV_KEY)
    if node["axes"]:
        types.add(EV_ABS)
    if node["msc"]:
        types.add(EV_MSC)
    return types


def cstring(text, size=255):
    raw = text.encode() + b"\0"
    return raw + bytes(size - len(raw)), len(raw)


def write_ioctl(device, node, path):
    lines = ["@DEV /dev/input/event%d" % node["event"]]
    lines.append("EVIOCGVERSION 0 " + struct.pack("<i", 0x010001).hex().upper())
    lines.append("EVIOCGID 0 " + struct.pack("<4H", device["bus"], device["vendor"],
                                             device["product"], device["version"]).hex().upper())
    for ioctl, text in (("EVIOCGNAME", node["name"]), ("EVIOCGPHYS", device["phys"]),
                        ("EVIOCGUNIQ", device["uniq"])):
        data, length = cstring(text)
        lines.append("%s(0) %d %s" % (ioctl, length, data.hex().upper()))
    lines.append("EVIOCGPROP(0) 8 " + bitmap(node["props"], 8).hex().upper())
    bits = {0: sorted(ev_types(node)), 1: node["keys"], 2: [], 3: sorted(node["axes"]),
            4: [MSC_TIMESTAMP] if node["msc"] else [], 5: [], 17: [], 18: [], 21: []}
    for ev_type, codes in bits.items():
        size = 96 if ev_type == 1 else 16 if ev_type == 21 else 8
        lines.append("EVIOCGBIT(%d) %d %s" % (ev_type, size, bitmap(codes, size).hex().upper()))
    for code in sorted(node["axes"]):
        info = node["axes"][code]
        data = struct.pack("<6i", info["value"], info["minimum"], info["maximum"], info["fuzz"],
                           info["flat"], info["resolution"]).hex().upper()
        lines.append(("EVIOCGABS 0 %s" % data) if code == 0 else
                     ("EVIOCGABS(%d) 0 %s" % (code, data)))
    lines.append("EVIOCGKEY(0) 96 " + bytes(96).hex().upper())
    lines.append("EVIOCGLED(0) 8 " + bytes(8).hex().upper())
    lines.append("EVIOCGSW(0) 8 " + bytes(8).hex().upper())
    with open(path, "w") as out:
        out.write("\n".join(lines) + "\n")


def evemu_header(device, node):
    lines = ["# EVEMU 1.3", "# Generated by generate.py from the driver facts; not a capture.",
             "N: " + node["name"],
             "I: %04x %04x %04x %04x" % (device["bus"], device["vendor"], device["product"],
                                         device["version"])]
    props = bitmap(node["props"], 8)
    lines.append("P: " + " ".join("%02x" % b for b in props))
    bits = {0: sorted(ev_types(node)), 1: node["keys"], 3: sorted(node["axes"]),
            4: [MSC_TIMESTAMP] if node["msc"] else []}
    for ev_type in sorted(bits):
        size = 96 if ev_type == 1 else 8
        data = bitmap(bits[ev_type], size)
        for offset in range(0, size, 8):
            lines.append("B: %02x " % ev_type + " ".join("%02x" % b for b in data[offset:offset + 8]))
    for code in sorted(node["axes"]):
        info = node["axes"][code]
        lines.append("A: %02x %d %d %d %d %d" % (code, info["minimum"], info["maximum"],
                                                 info["fuzz"], info["flat"], info["resolution"]))
    if device["uniq"]:
        lines.append("# uniq: " + device["uniq"])
    return lines


def evemu_events(frames, dropped_after=None):
    lines = []
    for index, (time_us, events) in enumerate(frames):
        stamp = "%d.%06d" % (time_us // 1_000_000, time_us % 1_000_000)
        for ev_type, code, value in events:
            lines.append("E: %s %04x %04x %d" % (stamp, ev_type, code, value))
        lines.append("E: %s %04x %04x %d" % (stamp, EV_SYN, SYN_REPORT, 0))
        if dropped_after is not None and index == dropped_after:
            lines.append("E: %s %04x %04x %d" % (stamp, EV_SYN, SYN_DROPPED, 0))
    return lines


def write_evemu(device, node, frames, path, dropped_after=None, comments=()):
    lines = ["# EVEMU 1.3", "# " + node["name"] + ": generated by generate.py from the driver facts"]
    lines += ["# " + comment for comment in comments]
    lines += evemu_events(frames, dropped_after)
    with open(path, "w") as out:
        out.write("\n".join(lines) + "\n")


def sysfs_block(path, attrs=(), env=(), links=(), devnode=None):
    lines = ["P: " + path]
    if devnode:
        lines.append("N: " + devnode)
    lines += ["E: %s=%s" % item for item in env]
    lines += ["A: %s=%s" % item for item in attrs]
    lines += ["L: %s=%s" % item for item in links]
    return "\n".join(lines)


def write_umockdev(device, path):
    blocks = []
    parent = device["hid"] or device["platform"]
    bus, vendor, product, version = (device["bus"], device["vendor"], device["product"],
                                     device["version"])
    for node in device["nodes"]:
        event = node["event"]
        input_path = "%s/input/input%d" % (parent, event)
        event_path = "%s/event%d" % (input_path, event)
        minor = 64 + event
        udev = {"ID_INPUT": "1"}
        udev.update(node["udev"])
        if device["bus"] == BUS_USB:
            udev["ID_BUS"] = "usb"
        elif device["bus"] == BUS_BLUETOOTH:
            udev["ID_BUS"] = "bluetooth"
        env = [("DEVNAME", "/dev/input/event%d" % event), ("MAJOR", "13"),
               ("MINOR", str(minor)), ("SUBSYSTEM", "input")] + sorted(udev.items())
        blocks.append(sysfs_block(event_path, devnode="input/event%d" % event, env=env,
                                  attrs=[("dev", "13:%d" % minor)],
                                  links=[("device", "../../input%d" % event)]))
        types = ev_types(node)
        caps = [("capabilities/ev", kernel_bitmap_text(sorted(types))),
                ("capabilities/key", kernel_bitmap_text(node["keys"])),
                ("capabilities/abs", kernel_bitmap_text(sorted(node["axes"]))),
                ("capabilities/msc", kernel_bitmap_text([MSC_TIMESTAMP] if node["msc"] else [])),
                ("capabilities/rel", "0")]
        props_text = kernel_bitmap_text(node["props"])
        input_env = [("NAME", '"%s"' % node["name"]), ("PHYS", '"%s"' % device["phys"]),
                     ("UNIQ", '"%s"' % device["uniq"]),
                     ("PRODUCT", "%x/%x/%x/%x" % (bus, vendor, product, version)),
                     ("PROP", props_text), ("EV", kernel_bitmap_text(sorted(types))),
                     ("SUBSYSTEM", "input")] + sorted(udev.items())
        attrs = [("name", node["name"]), ("phys", device["phys"]), ("uniq", device["uniq"]),
                 ("properties", props_text), ("id/bustype", "%04x" % bus),
                 ("id/vendor", "%04x" % vendor), ("id/product", "%04x" % product),
                 ("id/version", "%04x" % version)] + caps
        blocks.append(sysfs_block(input_path, env=input_env, attrs=attrs))
    if device["hid"]:
        hid_name = os.path.basename(device["hid"])
        pad = device["nodes"][0]["name"]
        env = [("DRIVER", device["driver"]),
               ("HID_ID", "%04X:%08X:%08X" % (bus, vendor, product)),
               ("HID_NAME", pad), ("HID_PHYS", device["phys"]), ("HID_UNIQ", device["uniq"]),
               ("MODALIAS", "hid:b%04Xg0000v%08Xp%08X" % (bus, vendor, product)),
               ("SUBSYSTEM", "hid")]
        blocks.append(sysfs_block(device["hid"], env=env,
                                  attrs=[("country", "00")]))
        del hid_name
    else:
        blocks.append(sysfs_block(device["platform"],
                                  env=[("DRIVER", device["driver"]),
                                       ("MODALIAS", "platform:" + device["driver"]),
                                       ("SUBSYSTEM", "platform")],
                                  attrs=[("rate", "100"), ("position", "(-20,12,1000)")]))
    with open(path, "w") as out:
        out.write("\n\n".join(blocks) + "\n")


KEY_NAMES = {value: name for name, value in globals().items()
             if name.startswith(("BTN_", "KEY_")) and isinstance(value, int)}


def write_pad_session(device, first_time_us, first_stamp, resting, add_one, take_one_off,
                      lead_in_us=0):
    """The controller's gamepad/buttons node and the streams `session` reads its count buttons
    with (`add_one` adds a repetition, `take_one_off` takes one off; each a (name on the
    controller, key code) pair): NAME-pad.ioctl, NAME-resting.evemu and NAME-pad.evemu, with the
    streams starting at `first_time_us` on the event clock. With `lead_in_us`, the motion stream
    opens with ten frames and a pause that long, and the rest of both streams comes after the
    pause."""
    name = device["fixture"]
    # The gamepad node too, so libevdev can open it.
    pad = device["nodes"][0]
    write_ioctl(device, pad, os.path.join(HERE, name + "-pad.ioctl"))
    # `session` polls the buttons between motion frames, so presses count only while frames
    # flow: 0.8 s of the controller lying still (no repetition to detect) ...
    motion = device["nodes"][1]
    lead_in = []
    if lead_in_us:
        lead_in = resting(first_time_us, first_stamp, 36_000)  # ten frames at 250 Hz
    start_us = first_time_us + lead_in_us
    frames = lead_in + resting(start_us, first_stamp + lead_in_us, 800_000)
    write_evemu(device, motion, frames, os.path.join(HERE, name + "-resting.evemu"))
    # ... and, on the same clock, +1, -1, +1, +1 pressed and released 0.1 s to 0.45 s in.
    # umockdev sends a stream's first event at once and the rest after the recorded gaps, so an
    # empty frame at the motion stream's first time lines the clocks up.
    presses = [(first_time_us, [])]
    for index, (_, button) in enumerate([add_one, take_one_off, add_one, add_one]):
        down = start_us + 100_000 + 100_000 * index
        presses += [(down, [(EV_KEY, button, 1)]), (down + 50_000, [(EV_KEY, button, 0)])]
    write_evemu(device, pad, presses, os.path.join(HERE, name + "-pad.evemu"),
                comments=["%s (%s) and %s (%s) presses; the first frame is empty on purpose"
                          " (aligns the clock with %s-resting)"
                          % (add_one[0], KEY_NAMES[add_one[1]], take_one_off[0],
                             KEY_NAMES[take_one_off[1]], name)])


def main():
    for device in build_devices():
        name = device["fixture"]
        write_umockdev(device, os.path.join(HERE, name + ".umockdev"))
        for node in device["nodes"]:
            if node["role"] != "motion":
                continue
            suffix = "" if node["frames"] is not None else "-motion-plus"
            if node["frames"] is not None:
                # EVIOCGABS answers with the device's current state; libevdev's resync after a
                # SYN_DROPPED reads it, so make it the state the stream ends in.
                node = dict(node, axes=with_values(node["axes"], last_values(node["frames"])))
            write_ioctl(device, node, os.path.join(HERE, name + suffix + ".ioctl"))
            if node["frames"] is not None:
                write_evemu(device, node, node["frames"], os.path.join(HERE, name + ".evemu"))
        if "pad_session" in device:
            write_pad_session(device, **device["pad_session"])
        if name == "dualsense-usb":
            # Five frames, SYN_DROPPED, ten more a second later. libevdev discards everything
            # queued when it resynchronises, and umockdev replays from testbed creation, not
            # from open: the pause keeps the later frames out of the queue however slowly the
            # program under test starts.
            motion = device["nodes"][1]
            before = frames_all_axes(1_100_000, 4000, 5, sony_motion,
                                     [500_000 + 4000 * i for i in range(5)])
            after = frames_all_axes(2_100_000, 4000, 10, lambda i: sony_motion(i + 5),
                                    [1_500_000 + 4000 * i for i in range(10)])
            frames = before + after
            write_evemu(device, motion, frames, os.path.join(HERE, name + "-dropped.evemu"),
                        dropped_after=4)


if __name__ == "__main__":
    main()
