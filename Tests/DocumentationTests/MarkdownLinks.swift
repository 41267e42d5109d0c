import Foundation

/// The links and heading anchors of one Markdown document, as GitHub renders it.
///
/// Only what a link check needs: inline links and images (`[text](target)`, `![alt](target)`) and
/// reference definitions (`[label]: target`), outside code blocks and code spans; and the anchors GitHub
/// derives from headings. Written here rather than taken from a Markdown package because none is in the
/// project's package set and the check needs only these two things.
struct MarkdownLinks {
    /// A link target as written, with the line it is on.
    struct Link: Equatable {
        var target: String
        var line: Int
    }

    private(set) var links: [Link] = []
    private(set) var anchors: Set<String> = []

    init(_ text: String) {
        var inFence = false
        var slugCounts: [String: Int] = [:]
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                inFence.toggle()
                continue
            }
            if inFence { continue }
            let prose = Self.removingCodeSpans(String(line))
            if trimmed.hasPrefix("#") {
                let title = trimmed.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
                let slug = Self.slug(title)
                let seen = slugCounts[slug, default: 0]
                slugCounts[slug] = seen + 1
                anchors.insert(seen == 0 ? slug : "\(slug)-\(seen)")
            }
            links += Self.inlineTargets(in: prose).map { Link(target: $0, line: index + 1) }
            if let target = Self.referenceDefinition(in: prose) { links.append(Link(target: target, line: index + 1)) }
        }
    }

    /// GitHub's anchor for a heading: lower-cased, punctuation other than `-` and `_` removed (code
    /// spans keep their text), spaces turned into hyphens.
    static func slug(_ title: String) -> String {
        var slug = ""
        for character in title.lowercased() {
            if character == " " {
                slug.append("-")
            } else if character.isLetter || character.isNumber || character == "-" || character == "_" {
                slug.append(character)
            }
        }
        return slug
    }

    /// The line without its code spans (`` `…` ``), whose brackets are not links.
    private static func removingCodeSpans(_ line: String) -> String {
        var result = ""
        var inSpan = false
        for character in line {
            if character == "`" {
                inSpan.toggle()
            } else if !inSpan {
                result.append(character)
            }
        }
        return result
    }

    /// Targets of `[text](target)` and `![alt](target "title")` on one line.
    private static func inlineTargets(in line: String) -> [String] {
        var targets: [String] = []
        var rest = line[...]
        while let close = rest.range(of: "](") {
            let afterParen = rest[close.upperBound...]
            guard let end = afterParen.firstIndex(of: ")") else { break }
            var target = afterParen[..<end].trimmingCharacters(in: .whitespaces)
            if target.hasPrefix("<"), let closing = target.firstIndex(of: ">") {
                // `(<a path with spaces.md>)`
                target = String(target[target.index(after: target.startIndex)..<closing])
            } else if let space = target.firstIndex(of: " ") {
                // A title follows the target after a space: `(file.md "Title")`.
                target = String(target[..<space])
            }
            if !target.isEmpty { targets.append(target) }
            rest = afterParen[end...]
        }
        return targets
    }

    /// The target of a reference definition, `[label]: target`, when the line is one.
    private static func referenceDefinition(in line: String) -> String? {
        let trimmed = line.drop { $0 == " " }
        guard trimmed.hasPrefix("["), let close = trimmed.range(of: "]: ") else { return nil }
        let target = trimmed[close.upperBound...].trimmingCharacters(in: .whitespaces)
        return target.split(separator: " ").first.map(String.init)
    }
}
