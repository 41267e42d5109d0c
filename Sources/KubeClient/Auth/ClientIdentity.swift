import Foundation

/// A client certificate chain and key, in PEM.
struct ClientIdentity: Sendable, Hashable {
    var certificatePEM: Data
    var keyPEM: Data
}
