import Foundation
import Testing

@testable import MotionInput

/// Reads files written by `EvemuWriter` with the real evemu library (libevemu.so.3, what
/// `evemu-play` and `evemu-device` use; installed with evemu-tools), loaded at run time: the
/// header must parse into the same device and every `E:` line into the same event.
@Suite(.enabled(if: LibEvemu.shared != nil, "libevemu.so.3 (evemu-tools) is not installed"))
struct EvemuLibraryCompatibilityTests {
  @Test func libevemuReadsWhatWeWrite() throws {
    let library = try #require(LibEvemu.shared)
    let directory = try RecordingScratchDirectory()
    let path = directory.path + "/compat.evemu"
    let device = EvemuRecordingTests.dualSenseWithValues()
    let events = EvemuRecordingTests.sampleEvents()
    try EvemuRecording(device: device, events: events).write(path: path)

    let file = try #require(fopen(path, "r"))
    defer { fclose(file) }
    let handle = try #require(library.new(nil))
    #expect(library.read(handle, file) > 0)
    #expect(String(cString: library.name(handle)) == device.name)
    #expect(library.bus(handle) == UInt32(device.busType))
    #expect(library.vendor(handle) == UInt32(device.vendor))
    #expect(library.product(handle) == UInt32(device.product))
    #expect(library.version(handle) == UInt32(device.version))
    #expect(library.hasProperty(handle, 6) == 1)
    #expect(library.hasProperty(handle, 0) == 0)
    #expect(library.hasEvent(handle, 4, 5) == 1)  // MSC_TIMESTAMP
    #expect(library.hasEvent(handle, 1, 0x130) == 0)  // no buttons
    for (code, info) in device.absAxes {
      #expect(library.hasEvent(handle, 3, Int32(code)) == 1)
      #expect(library.minimum(handle, Int32(code)) == info.minimum)
      #expect(library.maximum(handle, Int32(code)) == info.maximum)
      #expect(library.fuzz(handle, Int32(code)) == info.fuzz)
      #expect(library.resolution(handle, Int32(code)) == info.resolution)
    }

    var read: [InputEvent] = []
    // struct input_event on 64-bit Linux: timeval (2 × long), u16 type, u16 code, s32 value.
    let raw = UnsafeMutableRawPointer.allocate(byteCount: 24, alignment: 8)
    defer { raw.deallocate() }
    while library.readEvent(file, raw) > 0 {
      let seconds = raw.load(fromByteOffset: 0, as: Int.self)
      let microseconds = raw.load(fromByteOffset: 8, as: Int.self)
      read.append(
        InputEvent(
          timeMicroseconds: Int64(seconds) * 1_000_000 + Int64(microseconds),
          type: raw.load(fromByteOffset: 16, as: UInt16.self),
          code: raw.load(fromByteOffset: 18, as: UInt16.self),
          value: raw.load(fromByteOffset: 20, as: Int32.self)))
    }
    #expect(read == events)

    // And the other way: what libevemu writes (evemu_write, evemu_write_event: the code
    // evemu-record runs) reads back into the same device and events.
    let copyPath = directory.path + "/written-by-libevemu.evemu"
    let copy = try #require(fopen(copyPath, "w"))
    #expect(library.write(handle, copy) == 0)
    for event in events {
      raw.initializeMemory(as: UInt8.self, repeating: 0, count: 24)
      raw.storeBytes(of: Int(event.timeMicroseconds / 1_000_000), toByteOffset: 0, as: Int.self)
      raw.storeBytes(of: Int(event.timeMicroseconds % 1_000_000), toByteOffset: 8, as: Int.self)
      raw.storeBytes(of: event.type, toByteOffset: 16, as: UInt16.self)
      raw.storeBytes(of: event.code, toByteOffset: 18, as: UInt16.self)
      raw.storeBytes(of: event.value, toByteOffset: 20, as: Int32.self)
      #expect(library.writeEvent(copy, raw) > 0)
    }
    fclose(copy)
    let reread = try EvemuRecording.read(path: copyPath)
    var expectedDevice = device
    expectedDevice.uniq = ""  // our own comment line; evemu does not keep it
    for code in expectedDevice.absAxes.keys {
      expectedDevice.absAxes[code]?.value = 0  // evemu_read does not restore current values
    }
    // evemu writes EV_SYN as SYN_REPORT|SYN_CONFIG|SYN_DROPPED whatever the device had.
    expectedDevice.supportedCodes[0] = [0, 1, 3]
    #expect(reread.device == expectedDevice)
    #expect(reread.events == events)
  }
}

/// The few libevemu functions the test needs, resolved with dlopen/dlsym.
struct LibEvemu: @unchecked Sendable {
  typealias Handle = OpaquePointer
  let new: @convention(c) (UnsafePointer<CChar>?) -> Handle?
  let read: @convention(c) (Handle, UnsafeMutablePointer<FILE>) -> Int32
  let name: @convention(c) (Handle) -> UnsafePointer<CChar>
  let bus: @convention(c) (Handle) -> UInt32
  let vendor: @convention(c) (Handle) -> UInt32
  let product: @convention(c) (Handle) -> UInt32
  let version: @convention(c) (Handle) -> UInt32
  let hasProperty: @convention(c) (Handle, Int32) -> Int32
  let hasEvent: @convention(c) (Handle, Int32, Int32) -> Int32
  let minimum: @convention(c) (Handle, Int32) -> Int32
  let maximum: @convention(c) (Handle, Int32) -> Int32
  let fuzz: @convention(c) (Handle, Int32) -> Int32
  let resolution: @convention(c) (Handle, Int32) -> Int32
  let readEvent: @convention(c) (UnsafeMutablePointer<FILE>, UnsafeMutableRawPointer) -> Int32
  let write: @convention(c) (Handle, UnsafeMutablePointer<FILE>) -> Int32
  let writeEvent: @convention(c) (UnsafeMutablePointer<FILE>, UnsafeMutableRawPointer) -> Int32

  static let shared: LibEvemu? = load()

  private static func load() -> LibEvemu? {
    guard let library = dlopen("libevemu.so.3", RTLD_NOW) else { return nil }
    func symbol<T>(_ name: String, _: T.Type) -> T? {
      dlsym(library, name).map { unsafeBitCast($0, to: T.self) }
    }
    guard
      let new = symbol("evemu_new", (@convention(c) (UnsafePointer<CChar>?) -> Handle?).self),
      let read = symbol(
        "evemu_read", (@convention(c) (Handle, UnsafeMutablePointer<FILE>) -> Int32).self),
      let name = symbol("evemu_get_name", (@convention(c) (Handle) -> UnsafePointer<CChar>).self),
      let bus = symbol("evemu_get_id_bustype", (@convention(c) (Handle) -> UInt32).self),
      let vendor = symbol("evemu_get_id_vendor", (@convention(c) (Handle) -> UInt32).self),
      let product = symbol("evemu_get_id_product", (@convention(c) (Handle) -> UInt32).self),
      let version = symbol("evemu_get_id_version", (@convention(c) (Handle) -> UInt32).self),
      let hasProperty = symbol("evemu_has_prop", (@convention(c) (Handle, Int32) -> Int32).self),
      let hasEvent = symbol(
        "evemu_has_event", (@convention(c) (Handle, Int32, Int32) -> Int32).self),
      let minimum = symbol(
        "evemu_get_abs_minimum", (@convention(c) (Handle, Int32) -> Int32).self),
      let maximum = symbol(
        "evemu_get_abs_maximum", (@convention(c) (Handle, Int32) -> Int32).self),
      let fuzz = symbol("evemu_get_abs_fuzz", (@convention(c) (Handle, Int32) -> Int32).self),
      let resolution = symbol(
        "evemu_get_abs_resolution", (@convention(c) (Handle, Int32) -> Int32).self),
      let readEvent = symbol(
        "evemu_read_event",
        (@convention(c) (UnsafeMutablePointer<FILE>, UnsafeMutableRawPointer) -> Int32)
          .self),
      let write = symbol(
        "evemu_write", (@convention(c) (Handle, UnsafeMutablePointer<FILE>) -> Int32).self),
      let writeEvent = symbol(
        "evemu_write_event",
        (@convention(c) (UnsafeMutablePointer<FILE>, UnsafeMutableRawPointer) -> Int32).self)
    else { return nil }
    return LibEvemu(
      new: new, read: read, name: name, bus: bus, vendor: vendor, product: product,
      version: version, hasProperty: hasProperty, hasEvent: hasEvent, minimum: minimum,
      maximum: maximum, fuzz: fuzz, resolution: resolution, readEvent: readEvent, write: write,
      writeEvent: writeEvent)
  }
}
