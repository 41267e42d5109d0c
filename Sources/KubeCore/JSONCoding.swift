import Foundation

extension JSONEncoder {
    /// A JSON encoder configured the way KubeCore encodes request bodies.
    ///
    /// Keys are sorted so that bodies are byte-for-byte reproducible (tests and server-side apply
    /// diffs stay stable), and slashes are not escaped because `apiVersion: "apps/v1"` written as
    /// `apps\/v1` is legal but confuses anyone reading a captured request.
    ///
    /// - Returns: A new encoder; `JSONEncoder` is a reference type, so each caller gets its own.
    public static func kubernetes() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
