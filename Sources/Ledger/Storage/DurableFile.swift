#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An append-only file written with POSIX calls, so that what is durable is exactly what `fsync` covered.
///
/// Foundation's `FileHandle` hides short writes and does not fsync directories; the ledger needs both.
/// Not thread-safe: its owner serialises access.
struct DurableFile: ~Copyable {
    let path: String
    private let descriptor: Int32

    /// Opens `path` for reading and appending, creating it (and making its directory entry durable) if needed.
    init(path: String) throws(LedgerError) {
        let existed = access(path, F_OK) == 0
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io("open", path: path, errno: errno) }
        if !existed {
            do throws(LedgerError) {
                try Self.syncDirectory(of: path)
            } catch {
                close(fd)
                throw error
            }
        }
        self.path = path
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// The current size in bytes.
    func size() throws(LedgerError) -> UInt64 {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .io("fstat", path: path, errno: errno) }
        return UInt64(info.st_size)
    }

    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: [UInt8], at offset: UInt64) throws(LedgerError) {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { raw in
                pwrite(descriptor, raw.baseAddress! + written, raw.count - written, off_t(offset) + off_t(written))
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw .io("write", path: path, errno: errno)
            }
            written += result
        }
    }

    /// Reads up to `count` bytes at `offset`; fewer only at the end of the file.
    func read(count: Int, at offset: UInt64) throws(LedgerError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var total = 0
        while total < count {
            let result = buffer.withUnsafeMutableBytes { raw in
                pread(descriptor, raw.baseAddress! + total, count - total, off_t(offset) + off_t(total))
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw .io("read", path: path, errno: errno)
            }
            if result == 0 { break }
            total += result
        }
        if total < count { buffer.removeLast(count - total) }
        return buffer
    }

    /// Makes everything written so far durable.
    func sync() throws(LedgerError) {
        while fsync(descriptor) != 0 {
            if errno == EINTR { continue }
            throw .io("fsync", path: path, errno: errno)
        }
    }

    /// Makes the data written so far durable, without the file's metadata (`fdatasync`).
    ///
    /// Enough, and cheaper than ``sync()``, for writes inside the part of the file that ``reserve(through:chunk:)``
    /// already made durable: the file's size and blocks do not change, so no inode needs writing.
    func syncData() throws(LedgerError) {
        while fdatasync(descriptor) != 0 {
            if errno == EINTR { continue }
            throw .io("fdatasync", path: path, errno: errno)
        }
    }

    /// Makes sure the file holds at least `end` bytes, extending it with zeros, durably, to the next
    /// multiple of `chunk` when it is shorter.
    ///
    /// Why zeros written out rather than `fallocate`: an allocated but unwritten extent still needs its
    /// metadata changed on the first write into it, which brings back the inode write that appending
    /// into written zeros avoids. An append log pays one larger write per chunk instead of a metadata
    /// write on every fsync (on this kind of disk, about a third of a small append's sync time).
    func reserve(through end: UInt64, chunk: UInt64) throws(LedgerError) {
        let size = try size()
        guard size < end else { return }
        let target = (end + chunk - 1) / chunk * chunk
        let zeros = [UInt8](repeating: 0, count: Int(min(chunk, 1 << 20)))
        var offset = size
        while offset < target {
            let count = Int(min(UInt64(zeros.count), target - offset))
            try write(count == zeros.count ? zeros : Array(zeros[..<count]), at: offset)
            offset += UInt64(count)
        }
        try sync()
    }

    /// Whether every byte from `offset` to the end of the file is zero: the unused part of a reservation.
    func isZero(from offset: UInt64) throws(LedgerError) -> Bool {
        var position = offset
        while true {
            let bytes = try read(count: 1 << 20, at: position)
            guard !bytes.isEmpty else { return true }
            guard bytes.allSatisfy({ $0 == 0 }) else { return false }
            position += UInt64(bytes.count)
        }
    }

    /// Cuts the file to `size` bytes and makes the cut durable.
    func truncate(to size: UInt64) throws(LedgerError) {
        guard ftruncate(descriptor, off_t(size)) == 0 else { throw .io("truncate", path: path, errno: errno) }
        try sync()
    }

    /// Makes a rename or creation inside the directory of `path` durable.
    static func syncDirectory(of path: String) throws(LedgerError) {
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let fd = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .io("open directory", path: directory, errno: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .io("fsync directory", path: directory, errno: errno) }
    }

    /// Renames `source` over `destination` atomically and makes the rename durable.
    static func replace(_ destination: String, with source: String) throws(LedgerError) {
        guard rename(source, destination) == 0 else { throw .io("rename", path: source, errno: errno) }
        try syncDirectory(of: destination)
    }

    /// Creates `path` and its parents if missing.
    static func createDirectory(_ path: String) throws(LedgerError) {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o755) != 0, errno != EEXIST { throw .io("mkdir", path: current, errno: errno) }
        }
    }
}
