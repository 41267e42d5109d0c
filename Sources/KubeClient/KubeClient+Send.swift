import AsyncHTTPClient
import Foundation
import KubeCore
import NIOCore
import NIOHTTP1
import NIOSSL

/// A complete non-watch response.
struct RawResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: Data
}

extension KubeClient {
    /// Sends a request and returns the body of its 2xx response.
    ///
    /// Use this for requests the typed methods do not cover; they all go through here.
    ///
    /// - Parameter request: The request, usually built by a ``KubeCore/KubeRequest`` builder.
    /// - Returns: The response body.
    /// - Throws: ``KubeError`` for a non-2xx answer (after retries), a transport failure, a timeout,
    ///   or a credential problem.
    public func send(_ request: KubeRequest) async throws(KubeError) -> Data {
        try await perform(request).body
    }

    /// Sends a request and decodes its 2xx response body.
    ///
    /// - Parameters:
    ///   - request: The request.
    ///   - type: The type to decode, such as `ObjectList<Pod>` or ``KubeCore/JSONValue``.
    /// - Returns: The decoded body.
    /// - Throws: ``KubeError``; ``KubeError/Code/invalidResponse`` when the body does not decode.
    public func send<Response: Decodable>(_ request: KubeRequest, as type: Response.Type) async throws(KubeError) -> Response {
        let body = try await send(request)
        return try Self.decode(type, from: body, request: request)
    }

    static func decode<Response: Decodable>(
        _ type: Response.Type, from body: Data, request: KubeRequest
    ) throws(KubeError) -> Response {
        do {
            return try JSONDecoder().decode(PreservingDecoding<Response>.self, from: body).value
        } catch {
            throw .invalidResponse("the response to \(describe(request)) as \(type)", error)
        }
    }

    /// The request pipeline: throttle, authenticate, send, and retry as the policy allows.
    func perform(_ request: KubeRequest) async throws(KubeError) -> RawResponse {
        let policy = configuration.retryPolicy
        let idempotent = Self.isIdempotent(request)
        var attempt = 1
        var refreshedCredential = false
        while true {
            try await throttle()
            let credential = try await authenticator.credential()
            let outcome: Result<RawResponse, any Error>
            let sent = ContinuousClock.now
            do {
                outcome = .success(try await exchange(request, credential: credential))
            } catch {
                outcome = .failure(error)
            }
            observe(request, statusCode: try? outcome.get().status, since: sent)
            switch outcome {
            case .success(let response) where (200..<300).contains(response.status):
                return response
            case .success(let response):
                if response.status == 401, !refreshedCredential, await authenticator.invalidate(credential) {
                    // A rotated token or an exec credential revoked early: ask once more, right away.
                    refreshedCredential = true
                    logger.debug("401 from the API server; refreshing credentials", metadata: ["request": "\(Self.describe(request))"])
                    continue
                }
                let retryAfter = Self.retryAfter(response.headers)
                let error = KubeError.response(
                    httpStatus: response.status, body: response.body, retryAfter: retryAfter, request: Self.describe(request))
                // 429 means the server did not process the request, so even a POST can be repeated.
                let retryable = response.status == 429 || (response.status >= 500 && idempotent)
                guard retryable, attempt < policy.maximumAttempts else { throw error }
                try await backOff(request, attempt: attempt, retryAfter: retryAfter, reason: "HTTP \(response.status)")
            case .failure(let error):
                if error is CancellationError || Task.isCancelled { throw .cancelled }
                let kubeError =
                    error as? KubeError
                    ?? .transport(Self.describe(request), error, timeout: configuration.requestTimeout)
                // A certificate that fails verification will fail again: report it at once.
                guard idempotent, !kubeError.isPermanent, attempt < policy.maximumAttempts else { throw kubeError }
                try await backOff(request, attempt: attempt, retryAfter: nil, reason: "\(error)")
            }
            attempt += 1
        }
    }

    /// Tells the configuration's ``RequestObserver`` of one exchange.
    func observe(_ request: KubeRequest, statusCode: Int?, since sent: ContinuousClock.Instant) {
        guard let observer = configuration.requestObserver else { return }
        let host = (try? configuration.endpoint()).map { "\($0.host):\($0.port)" } ?? configuration.server
        observer.requestFinished(
            RequestResult(method: request.method.rawValue, host: host, statusCode: statusCode, duration: sent.duration(to: .now)))
    }

    func throttle() async throws(KubeError) {
        do {
            try await rateLimiter.acquire()
        } catch {
            throw .cancelled
        }
    }

    private func backOff(_ request: KubeRequest, attempt: Int, retryAfter: Duration?, reason: String) async throws(KubeError) {
        let delay = configuration.retryPolicy.delay(afterAttempt: attempt, retryAfter: retryAfter)
        logger.debug(
            "retrying after \(reason)",
            metadata: ["request": "\(Self.describe(request))", "attempt": "\(attempt)", "delay": "\(delay)"])
        do {
            try await Task.sleep(for: delay)
        } catch {
            throw .cancelled
        }
    }

    /// One HTTP exchange, response body included, bounded by the request timeout.
    private func exchange(_ request: KubeRequest, credential: RequestCredential) async throws -> RawResponse {
        let http = try httpRequest(request, credential: credential)
        let timeout = configuration.requestTimeout
        let limit = configuration.maximumResponseSize
        let client = httpClient
        return try await withThrowingTaskGroup(of: RawResponse?.self) { group in
            group.addTask {
                let response = try await client.execute(http, deadline: .now() + .nanoseconds(Self.nanoseconds(timeout)))
                let body = try await response.body.collect(upTo: limit)
                return RawResponse(status: Int(response.status.code), headers: response.headers, body: Data(body.readableBytesView))
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            // AHC's deadline and this timer end the same wait; whichever fires first, the caller sees a timeout.
            guard let first = try await group.next(), let response = first else {
                throw KubeError.timeout(Self.describe(request), after: timeout)
            }
            return response
        }
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// Safe to repeat after a failure whose effect is unknown.
    static func isIdempotent(_ request: KubeRequest) -> Bool {
        switch request.method {
        case .get, .put, .delete:
            return true
        case .post:
            return false
        case .patch:
            // Applying the same merge patch or apply configuration twice gives the same object; a
            // JSON patch (say, an array append) or a strategic merge patch may not.
            let contentType = request.headers["Content-Type"]
            return contentType == "application/merge-patch+json" || contentType == "application/apply-patch+yaml"
        }
    }

    /// `Retry-After` as seconds or as an HTTP date (RFC 9110 §10.2.3); a date in the past means now.
    static func retryAfter(_ headers: HTTPHeaders, now: Date = Date()) -> Duration? {
        guard let value = headers.first(name: "Retry-After")?.trimmingCharacters(in: .whitespaces), !value.isEmpty
        else { return nil }
        if let seconds = Int(value) { return seconds >= 0 ? .seconds(seconds) : nil }
        guard let date = httpDate(value) else { return nil }
        let wait = date.timeIntervalSince(now)
        return wait > 0 ? .milliseconds(Int64((wait * 1000).rounded(.up))) : .zero
    }

    /// Parses the three date forms HTTP allows, the IMF-fixdate first.
    static func httpDate(_ text: String) -> Date? {
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
