import Foundation
import Testing

/// The repository's own documentation: every relative link resolves, and the check itself finds what it
/// should.
@Suite struct RelativeLinkTests {
    /// The repository's root: this file is `Tests/DocumentationTests/RelativeLinkTests.swift`.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func everyRelativeLinkInTheReadmeAndDocsResolves() throws {
        let check = RelativeLinkCheck(root: Self.repositoryRoot)
        let files = check.documentationFiles()
        #expect(files.contains("README.md"))
        #expect(files.contains("docs/architecture.md"))
        let problems = try check.problems(in: files)
        #expect(problems.isEmpty, "broken links:\n\(problems.map(\.description).joined(separator: "\n"))")
    }

    @Test func theCheckReportsMissingFilesEscapesAndUnknownAnchors() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("link-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("docs"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try "# Guide\n\n## Set-up on a fresh machine\n".write(
            to: root.appendingPathComponent("docs/guide.md"), atomically: true, encoding: .utf8)
        let readme = """
            # Project
            [fine](docs/guide.md) and [anchor](docs/guide.md#set-up-on-a-fresh-machine) and [here](#project)
            [gone](docs/missing.md)
            [outside](../elsewhere/DESIGN.md)
            [bad anchor](docs/guide.md#nowhere)
            [web](https://example.com/x.md) `[code](not/checked.md)`
            ```
            [fenced](not/checked/either.md)
            ```
            [ref]: docs/also-missing.md
            """
        try readme.write(to: root.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)

        let check = RelativeLinkCheck(root: root)
        #expect(check.documentationFiles() == ["README.md", "docs/guide.md"])
        let problems = try check.problems(in: check.documentationFiles())
        #expect(problems.map(\.target) == ["docs/missing.md", "../elsewhere/DESIGN.md", "docs/guide.md#nowhere", "docs/also-missing.md"])
        #expect(problems.map(\.line) == [3, 4, 5, 10])
        #expect(problems[1].reason == "leads out of the repository")
    }

    @Test func headingsBecomeGitHubAnchors() {
        let links = MarkdownLinks("# Set-up on a fresh machine\n## `KubeClient` in brief\n## Notes\n## Notes\n")
        #expect(links.anchors == ["set-up-on-a-fresh-machine", "kubeclient-in-brief", "notes", "notes-1"])
        #expect(MarkdownLinks.slug("From POST /v1/events to a block") == "from-post-v1events-to-a-block")
    }

    @Test func imagesTitlesAndAngleBracketsAreLinksToo() {
        let links = MarkdownLinks("![diagram](img/flow.svg) [a](a.md \"Title\") [b](<b c.md>)")
        #expect(links.links.map(\.target) == ["img/flow.svg", "a.md", "b c.md"])
    }
}
