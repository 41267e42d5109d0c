import Foundation
import KubeCore

extension ClientConfiguration {
    /// Resolves one context of a kubeconfig into a client configuration.
    ///
    /// Certificate and key files are read now; a `tokenFile` is read on each request and an exec
    /// plugin runs on the first request.
    ///
    /// - Parameters:
    ///   - kubeConfig: A parsed (possibly merged) kubeconfig.
    ///   - context: The context to use; `nil` uses `current-context`.
    /// - Throws: ``KubeError/Code/configuration`` naming the missing context, cluster, user or file,
    ///   or the field that is not valid base64, and the kubeconfig file it came from.
    public init(kubeConfig: KubeConfig, context: String? = nil) throws(KubeError) {
        let contextName = try Self.contextName(kubeConfig, explicit: context)
        guard let namedContext = kubeConfig.contexts.first(where: { $0.name == contextName }) else {
            let available = kubeConfig.contexts.map(\.name).sorted().joined(separator: ", ")
            throw .configuration(
                "context \"\(contextName)\" is not defined in \(Self.files(kubeConfig)); available contexts: "
                    + "\(available.isEmpty ? "none" : available). Pick one of them or add the context")
        }
        let where_ = "context \"\(contextName)\"\(Self.origin(namedContext.source))"
        guard let clusterName = namedContext.context.cluster, !clusterName.isEmpty else {
            throw .configuration("\(where_) names no cluster; set its cluster field")
        }
        guard let namedCluster = kubeConfig.clusters.first(where: { $0.name == clusterName }) else {
            throw .configuration(
                "\(where_) refers to cluster \"\(clusterName)\", which is not defined in \(Self.files(kubeConfig)); "
                    + "add it under clusters or fix the context")
        }
        let cluster = namedCluster.cluster
        let clusterWhere = "cluster \"\(clusterName)\"\(Self.origin(namedCluster.source))"
        guard let server = cluster.server, !server.isEmpty else {
            throw .configuration("\(clusterWhere) has no server; set server: https://host:port")
        }
        self.init(server: server, namespace: namedContext.context.namespace.flatMap { $0.isEmpty ? nil : $0 })
        insecureSkipTLSVerify = cluster.insecureSkipTLSVerify ?? false
        tlsServerName = cluster.tlsServerName.flatMap { $0.isEmpty ? nil : $0 }
        proxyURL = cluster.proxyURL.flatMap { $0.isEmpty ? nil : $0 }
        if let proxyURL { _ = try ProxyRoute.parse(proxyURL, setting: "proxy-url of \(clusterWhere)") }
        certificateAuthorityPEM = try Self.material(
            data: cluster.certificateAuthorityData, file: cluster.certificateAuthority,
            field: "certificate-authority", of: clusterWhere)
        // A CA that would be ignored is a mistake to report, as kubectl reports it.
        if insecureSkipTLSVerify, certificateAuthorityPEM != nil {
            throw .configuration(
                "\(clusterWhere) sets insecure-skip-tls-verify together with a certificate authority; "
                    + "specifying a root certificate with the insecure flag is not allowed: remove one of them")
        }
        _ = try endpoint()

        guard let userName = namedContext.context.user, !userName.isEmpty else { return }
        guard let namedUser = kubeConfig.users.first(where: { $0.name == userName }) else {
            throw .configuration(
                "\(where_) refers to user \"\(userName)\", which is not defined in \(Self.files(kubeConfig)); "
                    + "add it under users or fix the context")
        }
        let user = namedUser.user
        let userWhere = "user \"\(userName)\"\(Self.origin(namedUser.source))"
        clientCertificatePEM = try Self.material(
            data: user.clientCertificateData, file: user.clientCertificate, field: "client-certificate", of: userWhere)
        clientKeyPEM = try Self.material(
            data: user.clientKeyData, file: user.clientKey, field: "client-key", of: userWhere)
        if (clientCertificatePEM == nil) != (clientKeyPEM == nil) {
            throw .configuration(
                "\(userWhere) has a client \(clientKeyPEM == nil ? "certificate but no key" : "key but no certificate"); "
                    + "set both client-certificate(-data) and client-key(-data)")
        }
        if user.authProvider != nil {
            let name = user.authProvider?["name"]?.stringValue.map { " (\($0))" } ?? ""
            throw .configuration(
                "\(userWhere) uses auth-provider\(name), which this client does not support (client-go dropped its "
                    + "gcp and azure providers in 1.26); use an exec credential plugin instead, such as "
                    + "gke-gcloud-auth-plugin, kubelogin or an OIDC exec plugin")
        }
        if let token = user.token, !token.isEmpty {
            credentials = .bearerToken(token)
        } else if let tokenFile = user.tokenFile, !tokenFile.isEmpty {
            credentials = .tokenFile(tokenFile)
        } else if let exec = user.exec {
            try Self.validate(exec, of: userWhere)
            credentials = .exec(exec)
        } else if let username = user.username, !username.isEmpty {
            credentials = .basic(username: username, password: user.password ?? "")
        } else if user.password?.isEmpty == false {
            throw .configuration("\(userWhere) has a password but no username; set both or neither")
        }
        impersonation = try Self.impersonation(user, of: userWhere)
    }

    /// Checks an exec entry as client-go does before it ever runs the plugin.
    private static func validate(_ exec: ExecConfig, of userWhere: String) throws(KubeError) {
        guard ExecConfig.supportedVersions.contains(exec.apiVersion) else {
            throw .configuration(
                "\(userWhere): exec apiVersion \"\(exec.apiVersion)\" is not supported; use one of "
                    + ExecConfig.supportedVersions.joined(separator: ", "))
        }
        if exec.command.isEmpty {
            throw .configuration("\(userWhere): exec has no command; set exec.command")
        }
        switch exec.interactiveMode {
        case nil, "":
            // v1 made the field required so that a plugin's need for a terminal is always declared.
            if exec.apiVersion == "client.authentication.k8s.io/v1" {
                throw .configuration(
                    "\(userWhere): exec.interactiveMode must be set for apiVersion \(exec.apiVersion); use Never, "
                        + "IfAvailable or Always")
            }
        case "Never", "IfAvailable", "Always":
            break
        case let mode?:
            throw .configuration(
                "\(userWhere): exec.interactiveMode \"\(mode)\" is not valid; use Never, IfAvailable or Always")
        }
    }

    private static func impersonation(_ user: KubeConfig.User, of userWhere: String) throws(KubeError) -> Impersonation? {
        let groups = user.impersonateGroups ?? []
        let extra = user.impersonateUserExtra ?? [:]
        let uid = user.impersonateUID.flatMap { $0.isEmpty ? nil : $0 }
        guard let name = user.impersonate, !name.isEmpty else {
            if !groups.isEmpty || !extra.isEmpty || uid != nil {
                throw .configuration(
                    "\(userWhere) sets as-groups, as-uid or as-user-extra without as; impersonation needs the user "
                        + "name to act as")
            }
            return nil
        }
        return Impersonation(userName: name, uid: uid, groups: groups, extra: extra)
    }

    private static func contextName(_ config: KubeConfig, explicit: String?) throws(KubeError) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let current = config.currentContext { return current }
        let available = config.contexts.map(\.name).sorted().joined(separator: ", ")
        throw .configuration(
            "no context selected: \(files(config)) sets no current-context; pass a context name "
                + "(available: \(available.isEmpty ? "none" : available)) or run `kubectl config use-context`")
    }

    /// Inline base64 data wins over a file, as in kubectl.
    private static func material(
        data: String?, file: String?, field: String, of owner: String
    ) throws(KubeError) -> Data? {
        if let data, !data.isEmpty {
            return try LocalFile.decodeBase64(data, field: "\(field)-data of \(owner)")
        }
        if let file, !file.isEmpty {
            return try LocalFile.read(file, for: "\(field) of \(owner)")
        }
        return nil
    }

    private static func origin(_ source: String?) -> String {
        source.map { " in \($0)" } ?? ""
    }

    private static func files(_ config: KubeConfig) -> String {
        let sources = Set(
            config.contexts.compactMap(\.source) + config.clusters.compactMap(\.source) + config.users.compactMap(\.source))
        return sources.isEmpty ? "the kubeconfig" : sources.sorted().joined(separator: ", ")
    }
}
