#if canImport(Glibc)
  import Glibc
#endif

/// What a key press asks the session to do.
public enum SessionKey: Equatable, Sendable {
  case plusOne
  case minusOne
  case quit
}

/// Reads single key presses from a terminal without blocking: raw mode (no line buffering, no
/// echo) while it lives, the previous settings restored by `restore()`. Ctrl-C still sends
/// SIGINT. Only for a TTY; `init` returns `nil` otherwise.
public final class TerminalKeys {
  private let descriptor: Int32
  private var saved = termios()
  private var active = false

  public init?(descriptor: Int32 = STDIN_FILENO) {
    guard isatty(descriptor) == 1, tcgetattr(descriptor, &saved) == 0 else { return nil }
    self.descriptor = descriptor
    var raw = saved
    raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
    // Return at once with whatever is there (possibly nothing).
    withUnsafeMutableBytes(of: &raw.c_cc) { bytes in
      bytes[Int(VMIN)] = 0
      bytes[Int(VTIME)] = 0
    }
    guard tcsetattr(descriptor, TCSANOW, &raw) == 0 else { return nil }
    active = true
  }

  deinit { restore() }

  public func restore() {
    guard active else { return }
    active = false
    _ = tcsetattr(descriptor, TCSANOW, &saved)
  }

  /// Keys pressed since the last call (never blocks).
  public func pendingKeys() -> [SessionKey] {
    // Called once per frame: a stack buffer, and no array unless a key was pressed.
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer in
      guard let base = buffer.baseAddress else { return [] }
      let count = read(descriptor, base, buffer.count)
      guard count > 0 else { return [] }
      return Self.keys(in: Array(buffer.prefix(count)))
    }
  }

  /// `+`, `=`, `k` or ↑ add one; `-`, `j` or ↓ take one off; `q` stops the session.
  public static func keys(in bytes: [UInt8]) -> [SessionKey] {
    var keys: [SessionKey] = []
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      // Arrow keys arrive as ESC [ A (up) and ESC [ B (down).
      if byte == 0x1B, index + 2 < bytes.count, bytes[index + 1] == UInt8(ascii: "[") {
        if bytes[index + 2] == UInt8(ascii: "A") { keys.append(.plusOne) }
        if bytes[index + 2] == UInt8(ascii: "B") { keys.append(.minusOne) }
        index += 3
        continue
      }
      switch byte {
      case UInt8(ascii: "+"), UInt8(ascii: "="), UInt8(ascii: "k"): keys.append(.plusOne)
      case UInt8(ascii: "-"), UInt8(ascii: "j"): keys.append(.minusOne)
      case UInt8(ascii: "q"): keys.append(.quit)
      default: break
      }
      index += 1
    }
    return keys
  }
}
