import ArgumentParser

// Placeholder until its issue lands; replaced by the owner of this command.
struct CountCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "count", abstract: "(not built yet)")

  func run() throws {
    throw ValidationError("'repcount count' is not built yet")
  }
}
