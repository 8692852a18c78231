import MotionCore

/// Frames from a live evdev motion node: `LiveEventReader`'s raw events through the same
/// `FrameAssembler` the recording readers use, so a device and its recording give the same
/// frames.
public struct LiveMotionSource: MotionFrameSource {
  public let reader: LiveEventReader
  public private(set) var assembler: FrameAssembler

  public var device: InputDeviceDescription { reader.device }
  public var devicePath: String { reader.devicePath }

  public init(reader: LiveEventReader, deviceTable: DeviceTable) throws {
    self.reader = reader
    assembler = try FrameAssembler(
      device: reader.device, entry: deviceTable.entry(for: reader.device))
  }

  /// Blocks until the next frame. Throws `LiveDeviceError.disconnected` when the device goes
  /// away (unless the reader waits for it); returns `nil` after Ctrl-C when the reader has an
  /// interrupt descriptor.
  public mutating func nextFrame() throws -> MotionFrame? {
    while true {
      switch try reader.next() {
      case .event(let event):
        if let frame = assembler.consume(event) { return frame }
      case .timedOut:
        continue
      case .interrupted:
        return nil
      }
    }
  }
}

extension LiveMotionSource {
  /// Opens a live motion node: `devicePath`, or with `nil` the first readable motion node
  /// (accelerometer+gyroscope nodes first). With `waitForDevice` it waits for a node to appear
  /// (and, later, to come back after an unplug).
  /// Notices (waiting, disconnected, reconnected, warnings) go to `notice`; by default to
  /// standard error, one line each.
  public static func open(
    devicePath: String?, waitForDevice: Bool, deviceTable: DeviceTable,
    interruptDescriptor: Int32? = nil, notice: @escaping (String) -> Void = writeToStandardError
  ) throws -> any MotionFrameSource {
    try LiveMotionSource(
      reader: openReader(
        devicePath: devicePath, waitForDevice: waitForDevice,
        interruptDescriptor: interruptDescriptor, notice: notice),
      deviceTable: deviceTable)
  }

  /// Writes `message` and a newline to standard error (unbuffered).
  public static func writeToStandardError(_ message: String) {
    let line = message + "\n"
    _ = line.withCString { write(2, $0, strlen($0)) }
  }

  /// The reader behind `open`, for callers that want the raw events (`repcount record`).
  public static func openReader(
    devicePath: String?, waitForDevice: Bool, interruptDescriptor: Int32? = nil,
    notice: @escaping (String) -> Void = { _ in }
  ) throws -> LiveEventReader {
    let udev = try UdevContext()
    // Subscribe before looking, so a device plugged in meanwhile is not missed.
    let hotplug = try HotplugMonitor(udev: udev)
    let discovery = MotionDeviceDiscovery(udev: udev)
    var announcedWaiting = false
    while true {
      if let path = try chooseNode(
        devicePath: devicePath, discovery: discovery, waiting: waitForDevice)
      {
        let reader = try LiveEventReader(
          devicePath: path, waitForDevice: waitForDevice, udev: udev,
          interruptDescriptor: interruptDescriptor, notice: notice)
        return reader
      }
      if !announcedWaiting {
        notice("waiting for \(devicePath ?? "a motion sensor") to appear (Ctrl-C to stop)…")
        announcedWaiting = true
      }
      guard
        try hotplug.waitForEvents(timeoutMilliseconds: -1, interruptDescriptor: interruptDescriptor)
          != nil
      else { throw LiveDeviceError.interruptedWhileWaiting }
    }
  }

  /// The node to open, or `nil` when the caller should wait for one.
  private static func chooseNode(
    devicePath: String?, discovery: MotionDeviceDiscovery, waiting: Bool
  ) throws -> String? {
    let nodes = try discovery.motionNodes()
    if let devicePath {
      if let node = nodes.first(where: { $0.devicePath == devicePath }) {
        switch node.access {
        case .readable:
          if node.kind == .gyroscope {
            let companion = nodes.first {
              $0.kind != .gyroscope && $0.hidParentSyspath != nil
                && $0.hidParentSyspath == node.hidParentSyspath
            }
            throw LiveDeviceError.gyroscopeOnly(
              path: devicePath, name: node.name, accelerometerPath: companion?.devicePath)
          }

          return devicePath
        case .permissionDenied: throw LiveDeviceError.permissionDenied(path: devicePath)
        case .failed: return waiting ? nil : devicePath  // let the open report it
        }
      }
      if waiting && !fileExists(devicePath) { return nil }
      // Not found through udev (no udev, a container, a node udev did not tag): open it directly
      // and let libevdev say what it is.
      let evdev = try LiveEventReader.openNode(devicePath)
      let description = evdev.description
      let absCodes = description.supportedCodes[EventCode.absoluteType] ?? []
      guard let kind = MotionDeviceDiscovery.kind(name: description.name, absCodes: absCodes),
        kind != .gyroscope
      else { throw LiveDeviceError.notAMotionNode(path: devicePath, name: description.name) }
      return devicePath
    }
    let usable = nodes.filter { $0.kind != .gyroscope }
    let readable = usable.filter { $0.access.isReadable }
    if let best = readable.first(where: { $0.kind == .accelerometerGyroscope }) ?? readable.first {
      return best.devicePath
    }
    if waiting { return nil }
    throw LiveDeviceError.noMotionDevice(
      unreadable: usable.filter { $0.access == .permissionDenied }.map(\.devicePath))
  }
}

#if canImport(Glibc)
  import Glibc
#endif

func fileExists(_ path: String) -> Bool {
  access(path, F_OK) == 0
}
