#ifndef CLIBEVDEV_SHIM_H
#define CLIBEVDEV_SHIM_H
#include <libevdev/libevdev.h>
#include <linux/input.h>
#include <time.h>
#endif
