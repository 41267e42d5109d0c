/// Options of a delete request, sent as a `meta/v1 DeleteOptions` body.
public struct DeleteOptions: Hashable, Sendable {
    /// What happens to dependents (objects whose `ownerReferences` point here).
    public enum PropagationPolicy: String, Hashable, Sendable {
        /// Leave dependents in place, without the owner reference.
        case orphan = "Orphan"
        /// Delete the owner now and dependents afterwards (the default for most kinds).
        case background = "Background"
        /// Keep the owner, with a `foregroundDeletion` finalizer, until dependents are gone.
        case foreground = "Foreground"
    }

    /// Seconds the object's pods get to stop; `0` deletes immediately.
    public var gracePeriodSeconds: Int64?
    public var propagationPolicy: PropagationPolicy?
    /// Delete only if the object still has this uid (it was not deleted and recreated meanwhile).
    public var preconditionUID: String?
    /// Delete only if the object is still at this resource version (nobody changed it meanwhile).
    public var preconditionResourceVersion: String?
    /// Validate without deleting (`dryRun: ["All"]`).
    public var dryRun: Bool

    public init(
        gracePeriodSeconds: Int64? = nil,
        propagationPolicy: PropagationPolicy? = nil,
        preconditionUID: String? = nil,
        preconditionResourceVersion: String? = nil,
        dryRun: Bool = false
    ) {
        self.gracePeriodSeconds = gracePeriodSeconds
        self.propagationPolicy = propagationPolicy
        self.preconditionUID = preconditionUID
        self.preconditionResourceVersion = preconditionResourceVersion
        self.dryRun = dryRun
    }

    /// Whether any option is set; without one the request carries no body.
    var isEmpty: Bool {
        gracePeriodSeconds == nil && propagationPolicy == nil && preconditionUID == nil
            && preconditionResourceVersion == nil && !dryRun
    }

    /// The JSON body the API server expects.
    var body: Body {
        Body(
            gracePeriodSeconds: gracePeriodSeconds,
            propagationPolicy: propagationPolicy?.rawValue,
            preconditions: preconditionUID == nil && preconditionResourceVersion == nil
                ? nil : Preconditions(uid: preconditionUID, resourceVersion: preconditionResourceVersion),
            dryRun: dryRun ? ["All"] : nil)
    }

    struct Body: Encodable {
        let apiVersion = "v1"
        let kind = "DeleteOptions"
        var gracePeriodSeconds: Int64?
        var propagationPolicy: String?
        var preconditions: Preconditions?
        var dryRun: [String]?
    }

    struct Preconditions: Encodable {
        var uid: String?
        var resourceVersion: String?
    }
}
