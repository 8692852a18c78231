/// Shell-style glob matching on device names: `*` matches any run, `?` one character.
enum GlobPattern {
  static func matches(_ pattern: String, _ text: String) -> Bool {
    let pattern = Array(pattern.unicodeScalars)
    let text = Array(text.unicodeScalars)
    var patternIndex = 0
    var textIndex = 0
    var starPattern = -1
    var starText = 0
    while textIndex < text.count {
      if patternIndex < pattern.count
        && (pattern[patternIndex] == "?" || pattern[patternIndex] == text[textIndex])
      {
        patternIndex += 1
        textIndex += 1
      } else if patternIndex < pattern.count && pattern[patternIndex] == "*" {
        starPattern = patternIndex
        starText = textIndex
        patternIndex += 1
      } else if starPattern >= 0 {
        // Backtrack: let the last star swallow one more character.
        patternIndex = starPattern + 1
        starText += 1
        textIndex = starText
      } else {
        return false
      }
    }
    while patternIndex < pattern.count && pattern[patternIndex] == "*" { patternIndex += 1 }
    return patternIndex == pattern.count
  }
}
