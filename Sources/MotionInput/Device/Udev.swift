import CLibudev

#if canImport(Glibc)
  import Glibc
#endif

/// A libudev context (`struct udev`). Every other udev object keeps its context alive.
public final class UdevContext {
  let pointer: OpaquePointer

  public init() throws(SystemCallError) {
    guard let pointer = udev_new() else {
      throw SystemCallError(operation: "udev_new", errorNumber: errno == 0 ? ENOMEM : errno)
    }
    self.pointer = pointer
  }

  deinit { udev_unref(pointer) }

  /// All devices of `subsystem` currently present (`udev_enumerate_*`), in sysfs order.
  public func devices(subsystem: String) throws(SystemCallError) -> [UdevDevice] {
    guard let enumerate = udev_enumerate_new(pointer) else {
      throw SystemCallError(operation: "udev_enumerate_new", errorNumber: ENOMEM)
    }
    defer { udev_enumerate_unref(enumerate) }
    try negativeErrnoCall("udev_enumerate_add_match_subsystem") {
      udev_enumerate_add_match_subsystem(enumerate, subsystem)
    }
    try negativeErrnoCall("udev_enumerate_scan_devices") {
      udev_enumerate_scan_devices(enumerate)
    }
    var found: [UdevDevice] = []
    var entry = udev_enumerate_get_list_entry(enumerate)
    while let current = entry {
      if let syspath = udev_list_entry_get_name(current),
        let device = UdevDevice(context: self, syspath: String(cString: syspath))
      {
        found.append(device)
      }
      entry = udev_list_entry_get_next(current)
    }
    return found
  }

  /// The device whose node is `devicePath` (e.g. `/dev/input/event7`), if udev knows it.
  public func device(devicePath: String) -> UdevDevice? {
    var status = stat()
    guard stat(devicePath, &status) == 0, status.st_mode & S_IFMT == S_IFCHR else { return nil }
    guard let device = udev_device_new_from_devnum(pointer, Int8(UInt8(ascii: "c")), status.st_rdev)
    else { return nil }
    return UdevDevice(context: self, owning: device)
  }
}

/// One udev device (`struct udev_device`), owned.
public final class UdevDevice {
  private let context: UdevContext
  private let pointer: OpaquePointer

  init?(context: UdevContext, syspath: String) {
    guard let pointer = udev_device_new_from_syspath(context.pointer, syspath) else { return nil }
    self.context = context
    self.pointer = pointer
  }

  init(context: UdevContext, owning pointer: OpaquePointer) {
    self.context = context
    self.pointer = pointer
  }

  deinit { udev_device_unref(pointer) }

  public var syspath: String { string(udev_device_get_syspath(pointer)) ?? "" }
  public var sysname: String { string(udev_device_get_sysname(pointer)) ?? "" }
  /// `/dev/...` node, if the device has one.
  public var devicePath: String? { string(udev_device_get_devnode(pointer)) }
  public var subsystem: String? { string(udev_device_get_subsystem(pointer)) }
  /// `add`, `remove`, `change`… for a device received from a monitor.
  public var action: String? { string(udev_device_get_action(pointer)) }

  /// A udev property (`ENV{KEY}` in rules), e.g. `ID_INPUT_ACCELEROMETER`.
  public func property(_ key: String) -> String? {
    string(udev_device_get_property_value(pointer, key))
  }

  /// A sysfs attribute of this device (`ATTR{name}`), with the trailing newline removed.
  public func attribute(_ name: String) -> String? {
    guard let value = string(udev_device_get_sysattr_value(pointer, name)) else { return nil }
    return value.hasSuffix("\n") ? String(value.dropLast()) : value
  }

  /// The closest ancestor in `subsystem` (e.g. the `input` device of an event node, or the
  /// `hid` device of a gamepad).
  public func ancestor(subsystem: String) -> UdevDevice? {
    // The returned parent belongs to this device; take our own reference.
    guard let parent = udev_device_get_parent_with_subsystem_devtype(pointer, subsystem, nil)
    else { return nil }
    guard let owned = udev_device_ref(parent) else { return nil }
    return UdevDevice(context: context, owning: owned)
  }

  private func string(_ pointer: UnsafePointer<CChar>?) -> String? {
    guard let pointer else { return nil }
    return String(cString: pointer)
  }
}

/// A udev monitor on the udev netlink group (`udev_monitor_*`): devices as udev finished
/// processing them, so nodes exist and properties are set when an `add` arrives.
public final class UdevMonitor {
  private let context: UdevContext
  private let pointer: OpaquePointer

  public init(context: UdevContext, subsystem: String) throws(SystemCallError) {
    guard let pointer = udev_monitor_new_from_netlink(context.pointer, "udev") else {
      throw SystemCallError(
        operation: "udev_monitor_new_from_netlink", errorNumber: errno == 0 ? ENOMEM : errno)
    }
    self.context = context
    self.pointer = pointer
    try negativeErrnoCall("udev_monitor_filter_add_match_subsystem_devtype") {
      udev_monitor_filter_add_match_subsystem_devtype(pointer, subsystem, nil)
    }
    try negativeErrnoCall("udev_monitor_enable_receiving") {
      udev_monitor_enable_receiving(pointer)
    }
  }

  deinit { udev_monitor_unref(pointer) }

  /// Readable when a device event is waiting.
  public var fileDescriptor: Int32 { udev_monitor_get_fd(pointer) }

  /// The next waiting device event, or `nil` when none is waiting (the socket is non-blocking).
  public func receive() -> UdevDevice? {
    guard let device = udev_monitor_receive_device(pointer) else { return nil }
    return UdevDevice(context: context, owning: device)
  }
}
