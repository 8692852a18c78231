import Testing

/// Every command's `--help`, as a user reads it: ArgumentParser wraps each source line of a
/// discussion on its own, so a paragraph written with hard line breaks comes out with ragged
/// lines broken mid-sentence.
@Suite("help text")
struct HelpTextTests {
  static let commands = [
    [], ["devices"], ["doctor"], ["record"], ["inspect"], ["count"], ["calibrate"], ["demo"],
    ["simulate"], ["eval"], ["session"], ["report"], ["history"],
  ]

  @Test("no paragraph of a command's help is broken before the terminal width", arguments: commands)
  func paragraphsAreWrappedOnlyByTheWidth(command: [String]) throws {
    let result = try Harness.run(try Harness.repcountBinary(), command + ["--help"])
    #expect(result.status == 0, "\(result.standardError)")
    let text = result.standardOutput
    #expect(text.contains("USAGE:"), "\(text)")
    let description = text.components(separatedBy: "USAGE:")[0]
    let lines = description.split(separator: "\n", omittingEmptySubsequences: false)
    for (line, next) in zip(lines, lines.dropFirst()) {
      // Indented lines (examples, lists, a YAML plan) and headings keep their own breaks.
      guard !line.isEmpty, let first = next.first, !first.isWhitespace, !line.hasSuffix(":")
      else { continue }
      let nextWord = next.split(separator: " ")[0]
      // The wrapper fills lines to about 80 columns: a line that would have held the next
      // word with room to spare was broken in the source.
      #expect(
        line.count + 1 + nextWord.count > 76,
        "`repcount \(command.joined(separator: " ")) --help` breaks a paragraph early: \"\(line)\""
      )
    }
  }
}
