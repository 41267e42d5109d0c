import SubChainNode

/// Reads `--node-id node-1` / `--node-id=node-1` style flags into environment variable names, using
/// `NodeSettings.variables` as the list of flags.
enum SettingFlags {
    /// The flags and what they set, for `run --help`.
    static var help: String {
        let lines = NodeSettings.variables.map { variable in
            let flag = "--\(variable.flag)".padding(toLength: 26, withPad: " ", startingAt: 0)
            let fallback = variable.defaultValue.map { $0.isEmpty ? " (default: empty)" : " (default: \($0))" } ?? ""
            return "  \(flag)\(variable.name): \(variable.help)\(fallback)"
        }
        return "Every setting is read from the environment variable; the flag overrides it.\n\n" + lines.joined(separator: "\n")
    }

    /// Parses the flags.
    /// - Returns: environment variable name → value.
    /// - Throws: ``NodeConfigurationError`` for an unknown flag or one without a value.
    static func parse(_ arguments: [String]) throws(NodeConfigurationError) -> [String: String] {
        var result: [String: String] = [:]
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--") else { throw .invalid(argument, "unexpected argument; settings are given as --flag value") }
            var name = String(argument.dropFirst(2))
            var value: String?
            if let equals = name.firstIndex(of: "=") {
                value = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard let variable = NodeSettings.variables.first(where: { $0.flag == name }) else {
                throw .invalid("--\(name)", "unknown flag; see subchain-node run --help")
            }
            if value == nil {
                guard index < arguments.endIndex else { throw .invalid(variable.name, "--\(name) needs a value") }
                value = arguments[index]
                index += 1
            }
            result[variable.name] = value
        }
        return result
    }
}
