import KubeCore

/// The `meta.k8s.io/v1` schemas every group version's document carries, under the names kube-apiserver
/// gives them (`io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`): object and list metadata, the
/// `Status` errors and deletes answer with, the `DeleteOptions` a delete reads and the `Patch` body; and
/// the `autoscaling/v1` `Scale` that the documents with a `/scale` subresource add.
///
/// Fields, types, formats and the list extensions (`x-kubernetes-list-type`, merge keys) follow the Go
/// types; the descriptions are the sandbox's own short summaries.
enum MetaSchemas {
    static let objectMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
    static let listMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"
    static let status = "io.k8s.apimachinery.pkg.apis.meta.v1.Status"
    static let deleteOptions = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions"
    static let patch = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch"
    static let scale = "io.k8s.api.autoscaling.v1.Scale"
    private static let scaleSpec = "io.k8s.api.autoscaling.v1.ScaleSpec"
    private static let scaleStatus = "io.k8s.api.autoscaling.v1.ScaleStatus"
    private static let ownerReference = "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference"
    private static let managedFieldsEntry = "io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry"
    private static let fieldsV1 = "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1"
    private static let time = "io.k8s.apimachinery.pkg.apis.meta.v1.Time"
    private static let statusDetails = "io.k8s.apimachinery.pkg.apis.meta.v1.StatusDetails"
    private static let statusCause = "io.k8s.apimachinery.pkg.apis.meta.v1.StatusCause"
    private static let preconditions = "io.k8s.apimachinery.pkg.apis.meta.v1.Preconditions"

    /// Every shared schema, by name.
    static let all: [String: JSONValue] = [
        objectMeta: objectMetaSchema, listMeta: listMetaSchema, status: statusSchema, deleteOptions: deleteOptionsSchema,
        patch: ["type": "object", "description": "The body of a PATCH request, in the format its Content-Type names."],
        ownerReference: ownerReferenceSchema, managedFieldsEntry: managedFieldsEntrySchema,
        fieldsV1: ["type": "object", "description": "A set of field paths in the fieldsV1 encoding of managedFields."],
        time: ["type": "string", "format": "date-time", "description": "A time in RFC 3339 form, in seconds."],
        statusDetails: statusDetailsSchema, statusCause: statusCauseSchema, preconditions: preconditionsSchema,
    ]

    /// `Scale` and the types it refers to, for the documents of kinds with `/scale`.
    static let scaleSchemas: [String: JSONValue] = [
        scale: [
            "type": "object",
            "description": "The replica count of a scalable object, as `/scale` reads and writes it.",
            "properties": [
                "apiVersion": apiVersionProperty, "kind": kindProperty, "metadata": metadataProperty,
                "spec": described(scaleSpec, "The desired number of replicas."),
                "status": described(scaleStatus, "The current number of replicas and the selector of their pods. Read-only."),
            ],
            "x-kubernetes-group-version-kind": [["group": "autoscaling", "kind": "Scale", "version": "v1"]],
        ],
        scaleSpec: [
            "type": "object", "description": "The desired scale.",
            "properties": ["replicas": integer("int32", "The desired number of replicas.")],
        ],
        scaleStatus: [
            "type": "object", "description": "The observed scale.", "required": ["replicas"],
            "properties": [
                "replicas": integer("int32", "The number of replicas observed."),
                "selector": string("The label selector of the replicas' pods, in its string form."),
            ],
        ],
    ]

    // MARK: - Type meta, as every kind's schema has it

    /// The `apiVersion` property of a kind.
    static let apiVersionProperty: JSONValue = [
        "type": "string",
        "description": "The group and version the object is written in (`group/version`, or the version alone for the core group). Servers may convert objects between the versions they serve.",
    ]

    /// The `kind` property of a kind.
    static let kindProperty: JSONValue = [
        "type": "string",
        "description": "The type of the object, in CamelCase. The server infers it from the path when it is missing; it cannot change.",
    ]

    /// The `metadata` property of a kind: a reference to ``objectMeta``.
    static let metadataProperty = described(
        objectMeta, "The object's metadata: its name, namespace, labels, annotations, owners and the fields the server maintains.")

    /// The `metadata` property of a list kind: a reference to ``listMeta``.
    static let listMetadataProperty = described(listMeta, "The list's metadata: its resourceVersion and the token of the next page.")

    /// A reference with a description beside it, as kube-apiserver writes a documented reference.
    static func described(_ name: String, _ description: String) -> JSONValue {
        var reference = OpenAPISchemaNames.reference(name)
        reference[member: "description"] = .string(description)
        return reference
    }

    private static func string(_ description: String) -> JSONValue { ["type": "string", "description": .string(description)] }
    private static func integer(_ format: String, _ description: String) -> JSONValue {
        ["type": "integer", "format": .string(format), "description": .string(description)]
    }
    private static func boolean(_ description: String) -> JSONValue { ["type": "boolean", "description": .string(description)] }
    private static func stringMap(_ description: String) -> JSONValue {
        ["type": "object", "additionalProperties": ["type": "string"], "description": .string(description)]
    }

    // MARK: - The schemas

    private static let objectMetaSchema: JSONValue = [
        "type": "object",
        "description": "Metadata every persisted object has: identity, labels and annotations, owners and lifecycle fields.",
        "properties": [
            "annotations": stringMap("Free-form string data tools attach to the object; not used for selection."),
            "creationTimestamp": described(time, "When the server created the object. Set by the server; read-only."),
            "deletionGracePeriodSeconds": integer("int64", "Seconds the object has left to terminate once deletion was requested. Read-only."),
            "deletionTimestamp": described(
                time, "When deletion was requested; the object goes once its finalizers are removed. Set by the server; read-only."),
            "finalizers": [
                "type": "array", "items": ["type": "string"], "x-kubernetes-list-type": "set", "x-kubernetes-patch-strategy": "merge",
                "description": "Names of the controllers that must finish their clean-up before the object is removed.",
            ],
            "generateName": string("A prefix from which the server makes a unique name when name is empty."),
            "generation": integer("int64", "A sequence number of changes to the desired state. Set by the server; read-only."),
            "labels": stringMap("String keys and values that selectors match to group and pick objects."),
            "managedFields": [
                "type": "array", "items": OpenAPISchemaNames.reference(managedFieldsEntry),
                "description": "Which field manager set which fields, for server-side apply. Maintained by the server.",
            ],
            "name": string("The object's name, unique among objects of its kind in its namespace; it cannot change."),
            "namespace": string("The namespace the object lives in; empty for cluster-scoped kinds. It cannot change."),
            "ownerReferences": [
                "type": "array", "items": OpenAPISchemaNames.reference(ownerReference),
                "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["uid"],
                "x-kubernetes-patch-strategy": "merge", "x-kubernetes-patch-merge-key": "uid",
                "description": "The objects this one depends on; the garbage collector deletes it when they are all gone.",
            ],
            "resourceVersion": string("An opaque version of the object, changed on every write; used for optimistic concurrency and watches."),
            "selfLink": string("Deprecated and no longer set."),
            "uid": string("A unique identity the server gives the object when it is created; it never changes. Read-only."),
        ],
    ]

    private static let ownerReferenceSchema: JSONValue = [
        "type": "object", "x-kubernetes-map-type": "atomic",
        "description": "An object that owns this one.",
        "required": ["apiVersion", "kind", "name", "uid"],
        "properties": [
            "apiVersion": string("The API version of the owner."),
            "blockOwnerDeletion": boolean("Whether a foreground deletion of the owner waits for this object to go first."),
            "controller": boolean("Whether the owner is this object's managing controller; at most one owner is."),
            "kind": string("The kind of the owner."),
            "name": string("The name of the owner."),
            "uid": string("The uid of the owner."),
        ],
    ]

    private static let managedFieldsEntrySchema: JSONValue = [
        "type": "object",
        "description": "The fields one manager set with one kind of operation.",
        "properties": [
            "apiVersion": string("The version the fields are described in."),
            "fieldsType": string("The encoding of fieldsV1; always `FieldsV1`."),
            "fieldsV1": described(fieldsV1, "The set of fields the manager owns."),
            "manager": string("The name of the manager."),
            "operation": string("`Apply` or `Update`."),
            "subresource": string("The subresource the fields were written through, such as `status`; empty for the object itself."),
            "time": described(time, "When the manager last changed these fields."),
        ],
    ]

    private static let listMetaSchema: JSONValue = [
        "type": "object",
        "description": "Metadata of a list.",
        "properties": [
            "continue": string("Present when more objects remain: pass it as `continue` to get the next page."),
            "remainingItemCount": integer("int64", "How many objects remain after this page, when the server knows."),
            "resourceVersion": string("The resourceVersion the list was read at; a watch started from it sees every later change."),
            "selfLink": string("Deprecated and no longer set."),
        ],
    ]

    private static let statusSchema: JSONValue = [
        "type": "object",
        "description": "The answer to a request that returns no object: a failure, or the success of a delete.",
        "properties": [
            "apiVersion": apiVersionProperty, "kind": kindProperty,
            "code": integer("int32", "The HTTP status code of the answer."),
            "details": described(statusDetails, "More about the failure, such as the object and fields concerned."),
            "message": string("A description of the outcome for people."),
            "metadata": listMetadataProperty,
            "reason": string("A machine-readable reason, such as `NotFound` or `Conflict`."),
            "status": string("`Success` or `Failure`."),
        ],
        "x-kubernetes-group-version-kind": [["group": "", "kind": "Status", "version": "v1"]],
    ]

    private static let statusDetailsSchema: JSONValue = [
        "type": "object",
        "description": "The object a Status concerns and the causes of a failure.",
        "properties": [
            "causes": [
                "type": "array", "items": OpenAPISchemaNames.reference(statusCause), "x-kubernetes-list-type": "atomic",
                "description": "The individual problems, such as each invalid field.",
            ],
            "group": string("The group of the resource concerned."),
            "kind": string("The resource (or kind) concerned."),
            "name": string("The name of the object concerned."),
            "retryAfterSeconds": integer("int32", "Seconds to wait before the client tries again."),
            "uid": string("The uid of the object concerned."),
        ],
    ]

    private static let statusCauseSchema: JSONValue = [
        "type": "object",
        "description": "One problem behind a failure.",
        "properties": [
            "field": string("The path of the field at fault, such as `spec.replicas`."),
            "message": string("A description of the problem for people."),
            "reason": string("A machine-readable reason, such as `FieldValueInvalid`."),
        ],
    ]

    private static let deleteOptionsSchema: JSONValue = [
        "type": "object",
        "description": "Options of a delete, sent as its body.",
        "properties": [
            "apiVersion": apiVersionProperty, "kind": kindProperty,
            "dryRun": [
                "type": "array", "items": ["type": "string"], "x-kubernetes-list-type": "atomic",
                "description": "`All` checks the delete without doing it.",
            ],
            "gracePeriodSeconds": integer("int64", "Seconds to wait before the object is deleted; 0 deletes at once."),
            "orphanDependents": boolean("Deprecated in favour of propagationPolicy: whether dependents are orphaned."),
            "preconditions": described(preconditions, "What must hold for the delete to go ahead; otherwise it fails with 409 Conflict."),
            "propagationPolicy": string("How dependents are collected: `Orphan`, `Background` or `Foreground`."),
        ],
        "x-kubernetes-group-version-kind": [["group": "", "kind": "DeleteOptions", "version": "v1"]],
    ]

    private static let preconditionsSchema: JSONValue = [
        "type": "object",
        "description": "Conditions a delete checks first.",
        "properties": [
            "resourceVersion": string("The object's resourceVersion must be this one."),
            "uid": string("The object's uid must be this one."),
        ],
    ]
}
