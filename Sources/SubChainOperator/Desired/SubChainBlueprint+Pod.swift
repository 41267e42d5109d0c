import KubeCore

extension SubChainBlueprint {
    /// Validator `index`'s pod: `subchain-node run` configured through the environment the node reads
    /// (see `subchain-node run --help`), its keys, genesis and API keys mounted read-only, its ledger on a
    /// claim or an emptyDir, and the restricted Pod Security Standard met.
    func podSpec(_ index: Int) -> PodSpec {
        var volumes = [
            Volume(name: "keys", secret: SecretVolumeSource(secretName: SubChainNames.keySecret(index), defaultMode: 0o440)),
            Volume(name: "genesis", configMap: ConfigMapVolumeSource(name: SubChainNames.genesisConfigMap, defaultMode: 0o444)),
            dataVolume(index),
        ]
        var mounts = [
            VolumeMount(name: "keys", mountPath: Self.keysDirectory, readOnly: true),
            VolumeMount(name: "genesis", mountPath: Self.genesisDirectory, readOnly: true),
            VolumeMount(name: "data", mountPath: Self.dataDirectory),
        ]
        if spec.apiKeysSecret != nil {
            volumes.append(Volume(name: "api-keys", secret: SecretVolumeSource(secretName: SubChainNames.apiKeysSecret, defaultMode: 0o440)))
            mounts.append(VolumeMount(name: "api-keys", mountPath: Self.apiKeysDirectory, readOnly: true))
        }
        let probePort = IntOrString.string("api")
        let container = Container(
            name: "node", image: spec.image, command: ["subchain-node", "run"], env: environment(index),
            ports: [ContainerPort(name: "p2p", containerPort: spec.p2pPort, protocol: "TCP"), ContainerPort(name: "api", containerPort: spec.apiPort, protocol: "TCP")],
            resources: ResourceRequirements(limits: spec.limits.entries(), requests: spec.requests.entries()), volumeMounts: mounts,
            // Ready once the node reaches a quorum and is neither catching up nor changing view; alive while
            // its HTTP server answers. The liveness probe waits out a long catch-up start.
            readinessProbe: Probe(httpGet: HTTPGetAction(path: "/readyz", port: probePort), periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 3),
            livenessProbe: Probe(
                httpGet: HTTPGetAction(path: "/healthz", port: probePort), initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6),
            securityContext: SecurityContext(
                runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: Capabilities(drop: ["ALL"]),
                seccompProfile: .runtimeDefault))
        return PodSpec(
            containers: [container], volumes: volumes, terminationGracePeriodSeconds: 30,
            // The node talks to no Kubernetes API.
            automountServiceAccountToken: false,
            securityContext: PodSecurityContext(
                runAsUser: settings.nodeUser, runAsGroup: settings.nodeUser, runAsNonRoot: true, fsGroup: settings.nodeUser, seccompProfile: .runtimeDefault),
            // Service links would put `API_PORT=tcp://…` (from the `api` Service) beside the node's own
            // `API_PORT`.
            enableServiceLinks: false)
    }

    /// The node's settings, one variable each, as `NodeSettings` reads them.
    func environment(_ index: Int) -> [EnvVar] {
        var variables = [
            EnvVar(name: "NODE_ID", value: SubChainNames.node(index)),
            EnvVar(name: "CHAIN_ID", value: genesis.genesis.chainId),
            EnvVar(name: "PEERS", value: peers(of: index)),
            EnvVar(name: "NODE_PORT", value: String(spec.p2pPort)),
            EnvVar(name: "API_PORT", value: String(spec.apiPort)),
            // The pod's own address: the node binds nothing else.
            EnvVar(name: "BIND_HOST", valueFrom: EnvVarSource(fieldRef: ObjectFieldSelector(apiVersion: "v1", fieldPath: "status.podIP"))),
            EnvVar(name: "GENESIS_FILE", value: "\(Self.genesisDirectory)/\(GenesisDocument.entry)"),
            EnvVar(name: "SIGNING_KEY_FILE", value: "\(Self.keysDirectory)/\(ValidatorKeys.signingKeyEntry)"),
            EnvVar(name: "TRANSPORT_KEY_FILE", value: "\(Self.keysDirectory)/\(ValidatorKeys.transportKeyEntry)"),
            EnvVar(name: "DATA_DIR", value: Self.dataDirectory),
            EnvVar(name: "BATCH_SIZE", value: String(spec.batchSize)),
            EnvVar(name: "BATCH_WAIT_MS", value: String(spec.maxBatchWaitMilliseconds)),
            EnvVar(name: "VIEW_CHANGE_TIMEOUT_MS", value: String(spec.viewChangeTimeoutMilliseconds)),
            EnvVar(name: "CHECKPOINT_INTERVAL", value: String(spec.checkpointInterval)),
        ]
        if spec.apiKeysSecret != nil {
            variables.append(EnvVar(name: "API_KEYS_FILE", value: "\(Self.apiKeysDirectory)/\(APIKeysCopy.entry)"))
        }
        return variables
    }

    private func dataVolume(_ index: Int) -> Volume {
        if spec.storage != nil {
            return Volume(name: "data", persistentVolumeClaim: PersistentVolumeClaimVolumeSource(claimName: SubChainNames.dataClaim(index)))
        }
        return Volume(name: "data", emptyDir: EmptyDirVolumeSource())
    }
}
