/// An error raised by KubeCore while parsing, validating or building Kubernetes values.
///
/// The error is a struct around a private enum so that new kinds can be added without breaking
/// callers. Compare ``code`` against the static members of ``KubeCoreError/Code`` to branch on the
/// kind; read ``message`` (or `description`) for a sentence that says what was wrong and what to do.
public struct KubeCoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of a ``KubeCoreError``, stable across releases.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Hashable, Sendable {
            case invalidQuantity
            case quantityOutOfRange
            case invalidPathSegment
            case namespaceRequired
            case namespaceNotAllowed
            case nameRequired
            case invalidOptions
            case lineTooLong
            case invalidWatchEvent
            case encodingFailed
        }

        private let value: Value

        private init(_ value: Value) { self.value = value }

        /// A quantity string does not follow the Kubernetes quantity grammar.
        public static let invalidQuantity = Code(.invalidQuantity)
        /// A quantity, or the result of quantity arithmetic, lies outside the representable range.
        public static let quantityOutOfRange = Code(.quantityOutOfRange)
        /// A name, namespace, plural or subresource cannot be used as a URL path segment.
        public static let invalidPathSegment = Code(.invalidPathSegment)
        /// A namespaced resource was addressed by name without a namespace.
        public static let namespaceRequired = Code(.namespaceRequired)
        /// A cluster-scoped resource was given a namespace.
        public static let namespaceNotAllowed = Code(.namespaceNotAllowed)
        /// An operation that targets one object was built without its name.
        public static let nameRequired = Code(.nameRequired)
        /// A combination of request options that the API server would reject.
        public static let invalidOptions = Code(.invalidOptions)
        /// A watch stream line exceeded the configured maximum length.
        public static let lineTooLong = Code(.lineTooLong)
        /// A watch stream line is not a valid watch event.
        public static let invalidWatchEvent = Code(.invalidWatchEvent)
        /// A request body could not be encoded as JSON.
        public static let encodingFailed = Code(.encodingFailed)

        public var description: String { value.rawValue }
    }

    /// What kind of error this is.
    public let code: Code
    /// A human-readable explanation naming the offending input.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "KubeCoreError.\(code): \(message)" }

    static func invalidQuantity(_ input: String, _ reason: String) -> KubeCoreError {
        KubeCoreError(.invalidQuantity, "invalid quantity \"\(input)\": \(reason)")
    }

    static func quantityOutOfRange(_ input: String) -> KubeCoreError {
        KubeCoreError(
            .quantityOutOfRange,
            "quantity \"\(input)\" is out of range: KubeCore represents quantities exactly in nano-units "
                + "within ±\(Quantity.maximumMagnitudeDescription)")
    }

    static func quantityArithmeticOverflow(_ operation: String, _ lhs: Quantity, _ rhs: Quantity) -> KubeCoreError {
        KubeCoreError(
            .quantityOutOfRange,
            "\(lhs) \(operation) \(rhs) overflows the exact quantity range of ±\(Quantity.maximumMagnitudeDescription)")
    }

    static func invalidPathSegment(_ role: String, _ value: String) -> KubeCoreError {
        KubeCoreError(
            .invalidPathSegment,
            "\(role) \"\(value)\" cannot be used in an API path: it must be non-empty, not \".\" or \"..\", "
                + "and contain no \"/\" or \"%\"")
    }

    static func namespaceRequired(_ resource: ResourceDescriptor) -> KubeCoreError {
        KubeCoreError(
            .namespaceRequired,
            "\(resource.kind) is namespaced: pass a namespace to address a single \(resource.plural) object")
    }

    static func namespaceNotAllowed(_ resource: ResourceDescriptor, _ namespace: String) -> KubeCoreError {
        KubeCoreError(
            .namespaceNotAllowed,
            "\(resource.kind) is cluster-scoped but namespace \"\(namespace)\" was given: drop the namespace")
    }

    static func nameRequired(_ operation: String) -> KubeCoreError {
        KubeCoreError(.nameRequired, "\(operation) needs the object's name (metadata.name is unset)")
    }

    static func invalidOptions(_ message: String) -> KubeCoreError {
        KubeCoreError(.invalidOptions, message)
    }

    static func lineTooLong(limit: Int) -> KubeCoreError {
        KubeCoreError(
            .lineTooLong,
            "watch stream line exceeds the maximum of \(limit) bytes; the stream is corrupt or the limit "
                + "is too small for the objects being watched (raise maximumLineLength)")
    }

    static func invalidWatchEvent(_ reason: String) -> KubeCoreError {
        KubeCoreError(.invalidWatchEvent, "invalid watch event: \(reason)")
    }

    static func encodingFailed(_ what: String, _ underlying: any Error) -> KubeCoreError {
        KubeCoreError(.encodingFailed, "cannot encode \(what) as JSON: \(underlying)")
    }
}
