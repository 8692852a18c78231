import ArgumentParser

// Placeholder until its issue lands; replaced by the owner of this command.
struct EvalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "eval", abstract: "(not built yet)")

  func run() throws {
    throw ValidationError("'repcount eval' is not built yet")
  }
}
