import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a bearer token from a file, again only when the file has changed.
///
/// The kubelet rotates projected service-account tokens by atomically swapping a symlink, so a
/// `stat` that follows links (device, inode, size, modification time) notices every rotation
/// without reading the file on each request.
struct TokenFileReader: Sendable {
    let path: String
    private var cached: (stamp: FileStamp, token: String)?

    init(path: String) {
        self.path = path
    }

    /// The current token.
    ///
    /// - Parameter force: Read the file even if it looks unchanged (after a 401).
    /// - Throws: ``KubeError/Code/credentials`` when the file is missing, unreadable or empty.
    mutating func token(force: Bool = false) throws(KubeError) -> String {
        let stamp = FileStamp(path: path)
        if !force, let cached, let stamp, cached.stamp == stamp { return cached.token }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .credentials(
                "cannot read token file \(path): \(error.localizedDescription); check that the file (or the "
                    + "mounted service-account token) exists and is readable", underlying: error)
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else {
            throw .credentials("token file \(path) is empty; write the bearer token into it")
        }
        if let stamp { cached = (stamp, token) }
        return token
    }
}

/// What identifies one version of a file's contents, cheaply.
private struct FileStamp: Equatable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var seconds: Int
    var nanoseconds: Int

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        #if canImport(Darwin)
        seconds = Int(info.st_mtimespec.tv_sec)
        nanoseconds = Int(info.st_mtimespec.tv_nsec)
        #else
        seconds = Int(info.st_mtim.tv_sec)
        nanoseconds = Int(info.st_mtim.tv_nsec)
        #endif
    }
}
