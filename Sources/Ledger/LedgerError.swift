import Consensus

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the block store or the consensus-state store refused an operation. Each message says what to do.
public struct LedgerError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Kind: Hashable, Sendable {
        case wrongHeight(got: UInt64, expected: UInt64)
        case brokenLink(height: UInt64)
        case certificateMismatch(height: UInt64)
        case duplicateEvent(id: SHA256Hash, height: UInt64)
        case io(operation: String, path: String, errno: Int32)
        case index(String)
        case otherChain(path: String)
        case unreadableHeader(path: String, reason: String)
        case failed(String)
        case damagedBlock(path: String, height: UInt64, reason: String)
        case locked(path: String)
    }

    private let kind: Kind

    /// `append` got a block whose height is not the next one.
    public static func wrongHeight(got: UInt64, expected: UInt64) -> Self { Self(kind: .wrongHeight(got: got, expected: expected)) }
    /// `append` got a block whose previous hash is not the current head hash.
    public static func brokenLink(height: UInt64) -> Self { Self(kind: .brokenLink(height: height)) }
    /// `append` got a block whose certificate names another sequence or digest.
    public static func certificateMismatch(height: UInt64) -> Self { Self(kind: .certificateMismatch(height: height)) }
    /// `append` got an event that already committed and that the block does not list as a duplicate.
    public static func duplicateEvent(_ id: SHA256Hash, height: UInt64) -> Self { Self(kind: .duplicateEvent(id: id, height: height)) }
    /// A system call failed.
    static func io(_ operation: String, path: String, errno: Int32) -> Self { Self(kind: .io(operation: operation, path: path, errno: errno)) }
    /// The SQLite index failed.
    static func index(_ message: String) -> Self { Self(kind: .index(message)) }
    /// The files in the directory belong to a chain with another genesis hash.
    static func otherChain(path: String) -> Self { Self(kind: .otherChain(path: path)) }
    /// A store file does not start with the expected header.
    static func unreadableHeader(path: String, reason: String) -> Self { Self(kind: .unreadableHeader(path: path, reason: reason)) }
    /// An earlier write failed half-way; the in-memory view may no longer match the files.
    static func failed(_ reason: String) -> Self { Self(kind: .failed(reason)) }
    /// A stored block failed its checks when read.
    static func damagedBlock(path: String, height: UInt64, reason: String) -> Self {
        Self(kind: .damagedBlock(path: path, height: height, reason: reason))
    }

    /// Another open store holds the directory.
    static func locked(path: String) -> Self { Self(kind: .locked(path: path)) }

    /// Whether the store refused the block because it does not extend the chain (the store is unchanged),
    /// as opposed to an I/O or storage failure.
    public var isRejection: Bool {
        switch kind {
        case .wrongHeight, .brokenLink, .certificateMismatch, .duplicateEvent: true
        case .io, .index, .otherChain, .unreadableHeader, .failed, .damagedBlock, .locked: false
        }
    }

    public var description: String {
        switch kind {
        case .wrongHeight(let got, let expected):
            "block at height \(got) cannot be appended: the ledger expects height \(expected); append blocks in order without gaps"
        case .brokenLink(let height):
            "block \(height) does not link to the hash of block \(height - 1); it belongs to another chain or fork and must not be stored"
        case .certificateMismatch(let height):
            "the commit certificate of block \(height) is for another sequence or digest; store the certificate that committed this block"
        case .duplicateEvent(let id, let height):
            "event \(id.hex) in block \(height) already committed; list it in duplicateEventIDs or leave it out of the block"
        case .io(let operation, let path, let code):
            "\(operation) failed on \(path): \(String(cString: strerror(code))) (errno \(code)); check the volume's space and permissions"
        case .index(let message):
            "the ledger index failed: \(message); if the index file is damaged, delete index.sqlite and reopen, which rebuilds it from blocks.log"
        case .otherChain(let path):
            "\(path) belongs to a chain with another genesis hash; point the node at the data directory of this chain"
        case .unreadableHeader(let path, let reason):
            "\(path) is not a store file of this format (\(reason)); move it away or point the node at another data directory"
        case .failed(let reason):
            "the store stopped after a failed write (\(reason)); restart the node, which recovers the files"
        case .locked(let path):
            "\(path) is locked by another open block store (another node process, or this one opening it twice); stop the other or give this node its own data directory"
        case .damagedBlock(let path, let height, let reason):
            "block \(height) in \(path) is damaged (\(reason)); reopen the store with Verification.full, which cuts the chain back before it so the node fetches the rest from peers"
        }
    }
}
