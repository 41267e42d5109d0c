import Foundation
import KubeCore

/// What the API server does to a LimitRange object itself before storing it: its defaulting
/// (`SetDefaults_LimitRangeItem`) and the consistency checks of `ValidateLimitRange`.
enum LimitRangeObject {
    /// The LimitRange with each `Container` item's defaults filled in: a missing default limit is the
    /// max, a missing default request is the default limit, else the min.
    static func defaulted(_ limitRange: JSONValue) -> JSONValue {
        guard var items = limitRange.value(atPath: "spec.limits")?.arrayElements else { return limitRange }
        for index in items.indices where items[index][member: "type"]?.stringValue == "Container" {
            let item = LimitRanger.Item(items[index])
            var defaultLimit = item.defaultLimit
            for (name, quantity) in item.max.quantities where defaultLimit[name] == nil { defaultLimit[name] = quantity }
            var defaultRequest = item.defaultRequest
            for (name, quantity) in defaultLimit.quantities where defaultRequest[name] == nil { defaultRequest[name] = quantity }
            for (name, quantity) in item.min.quantities where defaultRequest[name] == nil { defaultRequest[name] = quantity }
            // Only what was added is written: the values the client sent stay as they were sent.
            items[index][member: "default"] = merged(items[index][member: "default"], defaultLimit)
            items[index][member: "defaultRequest"] = merged(items[index][member: "defaultRequest"], defaultRequest)
        }
        var result = limitRange
        var spec = result[member: "spec"] ?? .object([:])
        spec[member: "limits"] = .array(items)
        result[member: "spec"] = spec
        return result
    }

    /// The given members with the quantities of `list` they lack; `nil` when both are empty.
    private static func merged(_ given: JSONValue?, _ list: ResourceList) -> JSONValue? {
        var members = given?.objectMembers ?? [:]
        for (name, quantity) in list.quantities where members[name] == nil { members[name] = .string(quantity.description) }
        return members.isEmpty ? given : .object(members)
    }

    /// The field errors of a LimitRange: defaults a Pod item may not have, and bounds that contradict
    /// each other (a default above the max, a min above a default request...).
    static func problems(_ limitRange: JSONValue) -> [APIError.Cause] {
        var causes: [APIError.Cause] = []
        for (index, json) in (limitRange.value(atPath: "spec.limits")?.arrayElements ?? []).enumerated() {
            let item = LimitRanger.Item(json)
            let path = "spec.limits[\(index)]"
            if item.type == "Pod" {
                for field in ["default", "defaultRequest"] where !(json[member: field]?.objectMembers?.isEmpty ?? true) {
                    causes.append(.init(type: "FieldValueForbidden", message: "Forbidden: may not be specified when `type` is 'Pod'", field: "\(path).\(field)"))
                }
            }
            let names = item.min.names.union(item.max.names).union(item.defaultLimit.names).union(item.defaultRequest.names)
                .union(item.maxLimitRequestRatio.names)
            for name in names.sorted() {
                causes += problems(of: item, resource: name, path: path)
            }
        }
        return causes
    }

    private static func problems(of item: LimitRanger.Item, resource name: String, path: String) -> [APIError.Cause] {
        var causes: [APIError.Cause] = []
        func invalid(_ field: String, _ value: Quantity, _ detail: String) {
            causes.append(.init(type: "FieldValueInvalid", message: "Invalid value: \"\(value)\": \(detail)", field: "\(path).\(field)[\(name)]"))
        }
        let min = item.min[name]
        let max = item.max[name]
        let defaultLimit = item.defaultLimit[name]
        let defaultRequest = item.defaultRequest[name]
        if let min, let max, min > max { invalid("min", min, "min value \(min) is greater than max value \(max)") }
        if let defaultRequest, let min, min > defaultRequest {
            invalid("defaultRequest", defaultRequest, "min value \(min) is greater than default request value \(defaultRequest)")
        }
        if let defaultRequest, let max, defaultRequest > max {
            invalid("defaultRequest", defaultRequest, "default request value \(defaultRequest) is greater than max value \(max)")
        }
        if let defaultRequest, let defaultLimit, defaultRequest > defaultLimit {
            invalid("defaultRequest", defaultRequest, "default request value \(defaultRequest) is greater than default limit value \(defaultLimit)")
        }
        if let defaultLimit, let min, min > defaultLimit { invalid("default", min, "min value \(min) is greater than default value \(defaultLimit)") }
        if let defaultLimit, let max, defaultLimit > max { invalid("default", max, "default value \(defaultLimit) is greater than max value \(max)") }
        if let ratio = item.maxLimitRequestRatio[name] {
            if ratio < Quantity(1) { invalid("maxLimitRequestRatio", ratio, "ratio \(ratio) is less than 1") }
            if let min, let max, !min.isZero {
                let bound = Double(max.milliValue) / Double(min.milliValue)
                if Double(ratio.milliValue) / 1000 > bound {
                    invalid("maxLimitRequestRatio", ratio, "ratio \(ratio) is greater than max/min = \(String(format: "%f", bound))")
                }
            }
        }
        return causes
    }
}
