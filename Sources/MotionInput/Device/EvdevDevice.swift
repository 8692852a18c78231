import CLibevdev

#if canImport(Glibc)
  import Glibc
#endif

/// An open evdev node and its libevdev handle (`struct libevdev`), both owned: the handle is
/// freed and the descriptor closed in `deinit`.
public final class EvdevDevice {
  public let path: String
  private let descriptor: FileDescriptor
  private let handle: OpaquePointer

  /// Opens `path` read-only and non-blocking and reads its description. Throws a
  /// `SystemCallError`; `isPermissionDenied` tells the caller to explain the udev rule.
  public init(path: String) throws(SystemCallError) {
    self.path = path
    let descriptor = try FileDescriptor.open(path, flags: O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    var handle: OpaquePointer?
    let fd = descriptor.rawValue
    try negativeErrnoCall("libevdev_new_from_fd", path: path) {
      libevdev_new_from_fd(fd, &handle)
    }
    guard let handle else {
      throw SystemCallError(operation: "libevdev_new_from_fd", path: path, errorNumber: ENOMEM)
    }
    self.descriptor = descriptor
    self.handle = handle
  }

  deinit { libevdev_free(handle) }

  /// Readable when events are waiting.
  public var fileDescriptor: Int32 { descriptor.rawValue }

  /// Event times from `CLOCK_MONOTONIC` instead of the default `CLOCK_REALTIME`
  /// (`EVIOCSCLOCKID`), so they never jump with the wall clock.
  public func useMonotonicClock() throws(SystemCallError) {
    let handle = handle
    try negativeErrnoCall("libevdev_set_clock_id", path: path) {
      libevdev_set_clock_id(handle, CLOCK_MONOTONIC)
    }
  }

  /// What the node says about itself, as `evemu-describe` would print it.
  public var description: InputDeviceDescription {
    var properties = Set<Int>()
    for property in 0..<Int(INPUT_PROP_CNT)
    where libevdev_has_property(handle, UInt32(property)) != 0 {
      properties.insert(property)
    }
    var supported: [UInt16: Set<UInt16>] = [:]
    var axes: [UInt16: AbsAxisInfo] = [:]
    for type in 1..<UInt32(EV_CNT) where libevdev_has_event_type(handle, type) != 0 {
      let maximum = libevdev_event_type_get_max(type)
      guard maximum >= 0 else { continue }
      var codes = Set<UInt16>()
      for code in 0...UInt32(maximum) where libevdev_has_event_code(handle, type, code) != 0 {
        codes.insert(UInt16(code))
        if type == UInt32(EV_ABS), let info = libevdev_get_abs_info(handle, code) {
          axes[UInt16(code)] = AbsAxisInfo(
            value: info.pointee.value, minimum: info.pointee.minimum,
            maximum: info.pointee.maximum, fuzz: info.pointee.fuzz, flat: info.pointee.flat,
            resolution: info.pointee.resolution)
        }
      }
      supported[UInt16(type)] = codes
    }
    return InputDeviceDescription(
      name: Self.string(libevdev_get_name(handle)),
      busType: UInt16(truncatingIfNeeded: libevdev_get_id_bustype(handle)),
      vendor: UInt16(truncatingIfNeeded: libevdev_get_id_vendor(handle)),
      product: UInt16(truncatingIfNeeded: libevdev_get_id_product(handle)),
      version: UInt16(truncatingIfNeeded: libevdev_get_id_version(handle)),
      uniq: Self.string(libevdev_get_uniq(handle)),
      phys: Self.string(libevdev_get_phys(handle)),
      properties: properties, supportedCodes: supported, absAxes: axes)
  }

  /// What one `libevdev_next_event` call gave.
  public enum ReadResult: Equatable {
    /// An event in the normal stream.
    case event(InputEvent)
    /// The kernel dropped events (`SYN_DROPPED`): this is the `SYN_DROPPED` event; read on with
    /// `.sync` until `.synchronized` to get the state changes that were lost.
    case dropped(InputEvent)
    /// No event is waiting (`EAGAIN`).
    case wouldBlock
    /// In `.sync` mode: the resynchronisation is complete.
    case synchronized
  }

  public enum ReadMode {
    /// `LIBEVDEV_READ_FLAG_NORMAL`
    case normal
    /// `LIBEVDEV_READ_FLAG_SYNC`: the synthetic events after a `SYN_DROPPED`.
    case sync
  }

  /// The next event (`libevdev_next_event`). Throws when the device is gone (`ENODEV`) or the
  /// read fails.
  public func nextEvent(_ mode: ReadMode) throws(SystemCallError) -> ReadResult {
    var event = input_event()
    let flags =
      mode == .normal ? LIBEVDEV_READ_FLAG_NORMAL.rawValue : LIBEVDEV_READ_FLAG_SYNC.rawValue
    while true {
      let status = libevdev_next_event(handle, flags, &event)
      if status == -EINTR { continue }
      if status == -EAGAIN { return mode == .sync ? .synchronized : .wouldBlock }
      if status < 0 {
        throw SystemCallError(operation: "libevdev_next_event", path: path, errorNumber: -status)
      }
      let converted = InputEvent(
        timeMicroseconds: Int64(event.time.tv_sec) * 1_000_000 + Int64(event.time.tv_usec),
        type: event.type, code: event.code, value: event.value)
      if status == Int32(LIBEVDEV_READ_STATUS_SYNC.rawValue) && mode == .normal {
        return .dropped(converted)
      }
      return .event(converted)
    }
  }

  private static func string(_ pointer: UnsafePointer<CChar>?) -> String {
    guard let pointer else { return "" }
    return String(cString: pointer)
  }
}
