import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Finds runs of free TCP ports on 127.0.0.1.
enum FreePorts {
    /// A base port such that `base ..< base + count` are all free right now, picked at random from the
    /// unprivileged range below Linux's ephemeral range (32768+), where the system does not hand out ports
    /// to outgoing connections.
    static func run(of count: Int) -> Int {
        for _ in 0..<200 {
            let base = Int.random(in: 10_000...(32_000 - count))
            if (base..<(base + count)).allSatisfy(isFree) { return base }
        }
        fatalError("no run of \(count) free ports found")
    }

    /// Whether a listening socket can bind `port` on 127.0.0.1 (with `SO_REUSEADDR`).
    static func isFree(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        // As the node's servers do: connections lingering in TIME_WAIT do not make a port busy, a listener does.
        var reuse: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0
    }
}
