import ArgumentParser
import Foundation

/// The options every client command shares.
struct APIOptions: ParsableArguments {
    @Option(help: "The node's API base URL.")
    var api = "http://127.0.0.1:2661"

    @Option(name: .customLong("api-key"), help: "Sent as X-API-Key (writes need it when the node has API keys).")
    var apiKey: String?

    var client: APIClient { APIClient(baseURL: api, apiKey: apiKey) }
}

/// `subchain-node submit`: one event.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "submit", abstract: "Submit an event to a node and print the response.")

    @OptionGroup var options: APIOptions

    @Option(help: "The entity the event is about.")
    var entity: String

    @Option(help: "The event type.")
    var type: String

    @Option(name: .customLong("detail"), help: "A detail as key=value; repeatable.")
    var details: [String] = []

    @Option(help: "A client nonce, to submit an otherwise identical event again as a new one.")
    var nonce: String?

    @Flag(help: "Wait until the event is committed (?wait=commit).")
    var wait = false

    func run() async throws {
        await CommandFailure.reporting {
            var detailMap: [String: String] = [:]
            for detail in details {
                guard let equals = detail.firstIndex(of: "="), equals != detail.startIndex else {
                    throw CommandFailure("--detail: \"\(detail)\" is not key=value", exitCode: CommandFailure.usage)
                }
                detailMap[String(detail[..<equals])] = String(detail[detail.index(after: equals)...])
            }
            var body: [String: Any] = ["entityId": entity, "type": type, "details": detailMap]
            if let nonce { body["nonce"] = nonce }
            let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
            JSONPrinter.print(try await options.client.send(.POST, wait ? "/v1/events?wait=commit" : "/v1/events", body: data))
        }
    }
}

/// `subchain-node blocks`: a page of committed blocks.
struct BlocksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "blocks", abstract: "Print committed blocks from a node.")

    @OptionGroup var options: APIOptions

    @Option(help: "The first height.")
    var from: UInt64?

    @Option(help: "The most blocks to print.")
    var limit: Int?

    func run() async throws {
        await CommandFailure.reporting {
            let query = [from.map { "from=\($0)" }, limit.map { "limit=\($0)" }].compactMap { $0 }.joined(separator: "&")
            JSONPrinter.print(try await options.client.send(.GET, "/v1/blocks" + (query.isEmpty ? "" : "?" + query)))
        }
    }
}

/// `subchain-node status`: the node's consensus and peer state.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Print a node's status.")

    @OptionGroup var options: APIOptions

    func run() async throws {
        await CommandFailure.reporting {
            JSONPrinter.print(try await options.client.send(.GET, "/v1/status"))
        }
    }
}
