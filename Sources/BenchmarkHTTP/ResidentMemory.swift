import Foundation

/// This process's resident memory (for a benchmark with an in-process sandbox, its objects and the
/// benchmark's clients alike).
public enum ResidentMemory {
    /// `VmRSS` of /proc/self/status in bytes, or `nil` where there is no /proc (not Linux).
    public static func current() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            // "VmRSS:     123456 kB"
            let fields = line.split(whereSeparator: \.isWhitespace)
            return fields.count >= 2 ? Int(fields[1]).map { $0 * 1_024 } : nil
        }
        return nil
    }

    public static func mebibytes(_ bytes: Int) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
}
