import ArgumentParser

// Placeholder until its issue lands; replaced by the owner of this command.
struct SimulateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "simulate", abstract: "(not built yet)")

  func run() throws {
    throw ValidationError("'repcount simulate' is not built yet")
  }
}
