#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// A failed system or library call: which call, on what, and the `errno` it gave.
public struct SystemCallError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The C call that failed, e.g. `"open"` or `"libevdev_new_from_fd"`.
  public var operation: String
  /// The file or device the call was about, when there is one.
  public var path: String?
  public var errorNumber: Int32

  public init(operation: String, path: String? = nil, errorNumber: Int32) {
    self.operation = operation
    self.path = path
    self.errorNumber = errorNumber
  }

  public var description: String {
    let reason = String(cString: strerror(errorNumber))
    if let path { return "\(path): \(operation) failed: \(reason)" }
    return "\(operation) failed: \(reason)"
  }

  public var isPermissionDenied: Bool { errorNumber == EACCES || errorNumber == EPERM }
  /// The device is gone (unplugged, or its driver unbound it).
  public var isDeviceGone: Bool {
    // EIO: a hung-up character device (umockdev's pty after removal; some USB drivers).
    errorNumber == ENODEV || errorNumber == ENOENT || errorNumber == ENXIO || errorNumber == EIO
  }
}

/// Runs a call that reports failure as `-1` + `errno`, retrying on `EINTR`; the one place where
/// `errno` turns into a thrown error.
@discardableResult
func systemCall<Result: BinaryInteger>(
  _ operation: String, path: String? = nil, _ body: () -> Result
) throws(SystemCallError) -> Result {
  while true {
    let result = body()
    if result != -1 { return result }
    let error = errno
    if error == EINTR { continue }
    throw SystemCallError(operation: operation, path: path, errorNumber: error)
  }
}

/// Runs a library call that returns `-errno` on failure (libevdev's convention), retrying on
/// `EINTR`.
@discardableResult
func negativeErrnoCall(
  _ operation: String, path: String? = nil, _ body: () -> Int32
) throws(SystemCallError) -> Int32 {
  while true {
    let result = body()
    if result >= 0 { return result }
    if -result == EINTR { continue }
    throw SystemCallError(operation: operation, path: path, errorNumber: -result)
  }
}

/// An owned file descriptor, closed when the owner goes away.
struct FileDescriptor: ~Copyable {
  let rawValue: Int32

  static func open(_ path: String, flags: Int32) throws(SystemCallError) -> FileDescriptor {
    let fd = try systemCall("open", path: path) { Glibc.open(path, flags) }
    return FileDescriptor(rawValue: fd)
  }

  private init(rawValue: Int32) { self.rawValue = rawValue }

  deinit { _ = Glibc.close(rawValue) }
}

/// Waits until one of `descriptors` is readable or `timeoutMilliseconds` passes (-1: forever).
/// Returns the readable descriptors' indices; an interrupted wait (a signal) returns none.
func waitForReadable(_ descriptors: [Int32], timeoutMilliseconds: Int32) throws(SystemCallError)
  -> [Int]
{
  var pollSet = descriptors.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
  let count = pollSet.withUnsafeMutableBufferPointer { buffer in
    poll(buffer.baseAddress, nfds_t(buffer.count), timeoutMilliseconds)
  }
  if count < 0 {
    let error = errno
    if error == EINTR { return [] }
    throw SystemCallError(operation: "poll", errorNumber: error)
  }
  let ready = Int16(POLLIN | POLLHUP | POLLERR | POLLNVAL)
  return pollSet.indices.filter { pollSet[$0].revents & ready != 0 }
}
