"""The testbed's device nodes, for the scripts that drive repcount under the umockdev library:
which node an ioctl file answers for, the pty behind a node, and whether a process holds it."""

import os
import sys


def device_node(ioctl_path):
    """The node an ioctl file answers for, from its first line (`@DEV /dev/input/eventN`)."""
    with open(ioctl_path) as handle:
        first = handle.readline().split()
    if first[:1] != ["@DEV"] or len(first) != 2:
        sys.exit("%s: first line is not '@DEV /dev/input/eventN'" % ioctl_path)
    return first[1]


def pty(testbed, node):
    """The testbed's device nodes are ptys; repcount's descriptor shows the pty's own path."""
    return os.path.realpath(os.path.join(testbed.get_root_dir(), node.lstrip("/")))


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
