/// A report of something that happened to an object (`events.k8s.io/v1 Event`).
/// `eventTime` is required by the API server and is a MicroTime: use `KubeTime(date, precision: .microseconds)`.
public struct Event: KubeResource, Hashable {
    public static let group = "events.k8s.io"
    public static let version = "v1"
    public static let kind = "Event"
    public static let plural = "events"
    public static let namespaced = true

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    /// Fields read from the server that this type does not model; written back on update.
    public var unmodelledFields = UnmodelledFields()
    public var eventTime: KubeTime?
    /// Set when the event repeats, instead of creating new events.
    public var series: EventSeries?
    /// The controller's name, such as `hierachain.io/subchain-operator`.
    public var reportingController: String?
    /// The reporting process, such as the operator pod's name.
    public var reportingInstance: String?
    /// What was done, such as `Provision`.
    public var action: String?
    /// Why, in CamelCase, such as `NamespaceCreated`.
    public var reason: String?
    /// The object the event is about.
    public var regarding: ObjectReference?
    public var related: ObjectReference?
    /// A human-readable description, at most 1 kB.
    public var note: String?
    /// `Normal` or `Warning`.
    public var type: String?

    /// Creates an object with `apiVersion` and `kind` set from the type.
    public init(
        metadata: ObjectMeta = ObjectMeta(),
        eventTime: KubeTime? = nil,
        series: EventSeries? = nil,
        reportingController: String? = nil,
        reportingInstance: String? = nil,
        action: String? = nil,
        reason: String? = nil,
        regarding: ObjectReference? = nil,
        related: ObjectReference? = nil,
        note: String? = nil,
        type: String? = nil
    ) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.eventTime = eventTime
        self.series = series
        self.reportingController = reportingController
        self.reportingInstance = reportingInstance
        self.action = action
        self.reason = reason
        self.regarding = regarding
        self.related = related
        self.note = note
        self.type = type
    }
}

/// A repeating event.
public struct EventSeries: Codable, Hashable, Sendable {
    public var count: Int32?
    public var lastObservedTime: KubeTime?

    public init(
        count: Int32? = nil,
        lastObservedTime: KubeTime? = nil
    ) {
        self.count = count
        self.lastObservedTime = lastObservedTime
    }
}
