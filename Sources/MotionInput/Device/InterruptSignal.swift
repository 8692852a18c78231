#if canImport(Glibc)
  import Glibc
#endif

/// Turns SIGINT/SIGTERM into a readable descriptor (the self-pipe trick), so a blocking
/// `poll` wakes up and the program can close its files properly instead of dying mid-write.
public enum InterruptSignal {
  /// Installs the handlers (once) and returns the descriptor that becomes readable on Ctrl-C.
  public static func install() throws(SystemCallError) -> Int32 {
    if interruptPipeReadEnd >= 0 { return interruptPipeReadEnd }
    var ends: [Int32] = [-1, -1]
    try systemCall("pipe") { pipe(&ends) }
    for end in ends {
      _ = fcntl(end, F_SETFD, FD_CLOEXEC)
      _ = fcntl(end, F_SETFL, O_NONBLOCK)
    }
    interruptPipeReadEnd = ends[0]
    interruptPipeWriteEnd = ends[1]
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { _ in
      var byte: UInt8 = 1
      _ = write(interruptPipeWriteEnd, &byte, 1)
    }
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0  // no SA_RESTART: poll returns EINTR at once
    sigaction(SIGINT, &action, nil)
    sigaction(SIGTERM, &action, nil)
    // A parent may have left them blocked (test runners, some launchers); we want them.
    var wanted = sigset_t()
    sigemptyset(&wanted)
    sigaddset(&wanted, SIGINT)
    sigaddset(&wanted, SIGTERM)
    pthread_sigmask(SIG_UNBLOCK, &wanted, nil)
    return interruptPipeReadEnd
  }
}

// Written only by `install` before the handler can run; the handler only reads it.
nonisolated(unsafe) private var interruptPipeReadEnd: Int32 = -1
nonisolated(unsafe) private var interruptPipeWriteEnd: Int32 = -1
