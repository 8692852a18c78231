import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// An 8-bit RGB or RGBA PNG read into memory: what Chromium writes for `--screenshot`. Enough of
/// the format for the report's screenshots, nothing more (no palettes, no 16-bit, no interlace).
struct PNGImage {
  var width: Int
  var height: Int
  /// Bytes per pixel: 3 (RGB) or 4 (RGBA).
  var channels: Int
  /// Rows top to bottom, `width * channels` bytes each.
  var bytes: [UInt8]

  struct FormatError: Error, CustomStringConvertible {
    var description: String
  }

  init(contentsOfFile path: String) throws {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw FormatError(description: "\(path): cannot read the file")
    }
    let file = [UInt8](data)
    guard file.count > 8, file[0..<8].elementsEqual([137, 80, 78, 71, 13, 10, 26, 10]) else {
      throw FormatError(description: "\(path): not a PNG file (\(file.count) bytes)")
    }
    func bigEndian(_ offset: Int) -> Int {
      file[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
    }
    var header: ArraySlice<UInt8> = []
    var compressed: [UInt8] = []
    var offset = 8
    while offset + 8 <= file.count {
      let length = bigEndian(offset)
      let type = String(decoding: file[offset + 4..<offset + 8], as: UTF8.self)
      guard offset + 12 + length <= file.count else {
        throw FormatError(description: "\(path): chunk \(type) runs past the end of the file")
      }
      let content = file[offset + 8..<offset + 8 + length]
      if type == "IHDR" { header = content }
      if type == "IDAT" { compressed += content }
      if type == "IEND" { break }
      offset += 12 + length
    }
    guard header.count == 13 else { throw FormatError(description: "\(path): no IHDR chunk") }
    let start = header.startIndex
    width = Int(header[start..<start + 4].reduce(0) { $0 << 8 | UInt32($1) })
    height = Int(header[start + 4..<start + 8].reduce(0) { $0 << 8 | UInt32($1) })
    let (depth, colourType, interlace) = (header[start + 8], header[start + 9], header[start + 12])
    guard depth == 8, colourType == 2 || colourType == 6, interlace == 0 else {
      throw FormatError(
        description: "\(path): bit depth \(depth), colour type \(colourType), interlace "
          + "\(interlace): only 8-bit RGB/RGBA without interlace is read here")
    }
    channels = colourType == 6 ? 4 : 3
    let stride = width * channels
    let filtered = try Zlib.uncompress(compressed, size: height * (stride + 1), path: path)
    bytes = try Self.unfilter(filtered, width: width, height: height, channels: channels, path)
  }

  /// Undoes the per-row filters (PNG specification, section 9).
  private static func unfilter(
    _ filtered: [UInt8], width: Int, height: Int, channels: Int, _ path: String
  ) throws -> [UInt8] {
    let stride = width * channels
    var output = [UInt8](repeating: 0, count: height * stride)
    try filtered.withUnsafeBufferPointer { input in
      try output.withUnsafeMutableBufferPointer { out in
        for row in 0..<height {
          let filter = input[row * (stride + 1)]
          let source = row * (stride + 1) + 1
          let target = row * stride
          for index in 0..<stride {
            let raw = Int(input[source + index])
            let left = index >= channels ? Int(out[target + index - channels]) : 0
            let up = row > 0 ? Int(out[target - stride + index]) : 0
            let upLeft =
              row > 0 && index >= channels ? Int(out[target - stride + index - channels]) : 0
            let predicted: Int
            switch filter {
            case 0: predicted = 0
            case 1: predicted = left
            case 2: predicted = up
            case 3: predicted = (left + up) / 2
            case 4:
              let estimate = left + up - upLeft
              let (toLeft, toUp, toUpLeft) = (
                abs(estimate - left), abs(estimate - up), abs(estimate - upLeft)
              )
              predicted =
                toLeft <= toUp && toLeft <= toUpLeft ? left : (toUp <= toUpLeft ? up : upLeft)
            default:
              throw FormatError(description: "\(path): row \(row) has unknown filter \(filter)")
            }
            out[target + index] = UInt8(truncatingIfNeeded: raw + predicted)
          }
        }
      }
    }
    return output
  }

  /// Red, green and blue of the pixel at (`x`, `y`).
  func pixel(_ x: Int, _ y: Int) -> (red: UInt8, green: UInt8, blue: UInt8) {
    let index = (y * width + x) * channels
    return (bytes[index], bytes[index + 1], bytes[index + 2])
  }
}

/// zlib's `uncompress`, from the system's libz (every Debian system has it: dpkg needs it),
/// looked up at run time so the tests need no C module of their own.
private enum Zlib {
  typealias Uncompress =
    @convention(c) (
      UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt>?, UnsafePointer<UInt8>?, UInt
    ) -> Int32

  static let function: Uncompress? = {
    guard let library = dlopen("libz.so.1", RTLD_NOW), let symbol = dlsym(library, "uncompress")
    else { return nil }
    return unsafeBitCast(symbol, to: Uncompress.self)
  }()

  static func uncompress(_ input: [UInt8], size: Int, path: String) throws -> [UInt8] {
    guard let function else {
      throw PNGImage.FormatError(description: "libz.so.1 (zlib) could not be loaded")
    }
    var output = [UInt8](repeating: 0, count: size)
    var length = UInt(size)
    let status = output.withUnsafeMutableBufferPointer { out in
      input.withUnsafeBufferPointer { source in
        function(out.baseAddress, &length, source.baseAddress, UInt(source.count))
      }
    }
    guard status == 0, length == UInt(size) else {
      throw PNGImage.FormatError(
        description: "\(path): image data does not inflate to \(size) bytes (zlib status "
          + "\(status), \(length) bytes)")
    }
    return output
  }
}
