import Foundation

/// A fresh directory under the system temporary directory, removed when the test is done with it.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }

    /// The size of a file in the directory.
    func size(of name: String) throws -> UInt64 {
        (try FileManager.default.attributesOfItem(atPath: file(name))[.size] as? NSNumber)?.uint64Value ?? 0
    }

    /// Cuts `count` bytes off the end of a file.
    func truncate(_ name: String, droppingLast count: UInt64) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: file(name)))
        defer { try? handle.close() }
        try handle.truncate(atOffset: try size(of: name) - count)
    }

    /// Overwrites bytes of a file at `offset`.
    func overwrite(_ name: String, at offset: UInt64, with bytes: [UInt8]) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: file(name)))
        defer { try? handle.close() }
        try handle.seek(toOffset: offset)
        try handle.write(contentsOf: Data(bytes))
    }

    /// Appends bytes to a file.
    func append(_ name: String, _ bytes: [UInt8]) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: file(name)))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(bytes))
    }
}
