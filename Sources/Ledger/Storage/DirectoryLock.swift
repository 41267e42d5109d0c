#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock` on a store directory's `LOCK` file, held while the store is open, so that a
/// second store (another node process, or the same process opening the directory twice) is refused
/// instead of writing the same files.
///
/// Why a lock file: the index used to get this from SQLite's exclusive locking mode, which the
/// checkpoint connection (``IndexCheckpointer``) rules out. `flock` locks belong to an open file, so the
/// kernel drops the lock when the process dies, however it dies.
struct DirectoryLock: ~Copyable {
    private let descriptor: Int32

    /// Takes the lock on `directory`/LOCK, creating the file if needed.
    /// - Throws: ``LedgerError/locked(path:)`` when another open store holds it.
    init(directory: String) throws(LedgerError) {
        let path = directory + "/LOCK"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io("open", path: path, errno: errno) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(fd)
            if code == EWOULDBLOCK { throw .locked(path: directory) }
            throw .io("flock", path: path, errno: code)
        }
        descriptor = fd
    }

    deinit { close(descriptor) }
}
