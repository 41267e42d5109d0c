/// The OpenAPI 3.1 description of ``NodeHTTPAPI``, kept as a constant rather than a bundle resource so that
/// the node needs no resource bundle at run time. A test checks that its paths and methods are exactly the
/// router's.
enum NodeAPIOpenAPIDocument {
    static let yaml = #"""
openapi: 3.1.0
info:
  title: subchain-node API
  version: 1.0.0
  description: |
    The HTTP API of one SubChain validator (port 2661). Clients submit events and read the committed chain;
    operators read status, probes and Prometheus metrics.

    Any node takes writes: events are handed to the local replica, and consensus forwards them to the
    current primary (leader) itself, so clients need not know who leads.

    Writes require an `X-API-Key` header when the node is configured with a keys file; reads are open.
    Every error has the body `{"error": {"code": "...", "message": "...", "field": "..."}}`, where `field`
    names the offending input (such as `events[2].details.color`) when there is one.
servers:
  - url: http://localhost:2661
tags:
  - name: events
  - name: blocks
  - name: node
security: []
paths:
  /v1/events:
    post:
      tags: [events]
      summary: Submit one event or a batch
      description: |
        The body is one event, or `{"events": [...]}` with at most 1000 events, and at most
        `MAX_BODY_BYTES` (1 MiB by default). Every event is validated before any is submitted: one bad event rejects the
        request and nothing of it is accepted. An event's id is the hex SHA-256 of its canonical encoding,
        so resubmitting an event is harmless: it commits once.
      operationId: submitEvents
      security:
        - apiKey: []
      parameters:
        - name: wait
          in: query
          required: false
          description: "`commit` waits until every event has committed (up to 10 s)."
          schema:
            type: string
            enum: [commit]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              oneOf:
                - $ref: '#/components/schemas/ClientEvent'
                - $ref: '#/components/schemas/EventBatch'
      responses:
        '200':
          description: With `?wait=commit`, every event committed; each carries its block height.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/SubmissionResult' }
        '202':
          description: Every event is held by the node and will commit once.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/SubmissionResult' }
        '400':
          description: Malformed JSON, a wrong type, a missing field, an invalid event, an empty or too large batch, or a bad `wait`.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Error' }
        '401':
          description: The node requires an API key and `X-API-Key` is missing or wrong.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Error' }
        '413':
          description: The body is larger than the node accepts.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Error' }
        '503':
          description: |
            The node holds as many events as it may and refused some (those with status `overloaded`);
            retry after `Retry-After` seconds. Events with status `accepted` will commit. Or the node has
            stopped (shutting down, or its storage failed) and took none of them: an error with code
            `node_stopped` and no `events`; submit them to another node.
          headers:
            Retry-After:
              schema: { type: integer }
          content:
            application/json:
              schema:
                oneOf:
                  - { $ref: '#/components/schemas/SubmissionFailure' }
                  - { $ref: '#/components/schemas/Error' }
        '504':
          description: With `?wait=commit`, some events did not commit in time; they stay pending.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/SubmissionFailure' }
  /v1/events/{id}:
    get:
      tags: [events]
      summary: Look up an event
      description: |
        A committed event with its block and position, or a pending one: held by this node's replica,
        waiting to be proposed or being ordered, whichever node it was submitted to. An event no node
        has passed to this one yet (just submitted elsewhere, or lost with a restart before it was
        proposed) is 404 until it commits.
      operationId: getEvent
      parameters:
        - name: id
          in: path
          required: true
          schema: { $ref: '#/components/schemas/Hash' }
      responses:
        '200':
          description: The event.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/EventLookup' }
        '400':
          description: The id is not 64 hexadecimal digits.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Error' }
        '404':
          description: No such event committed or pending here.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Error' }
  /v1/blocks:
    get:
      tags: [blocks]
      summary: A page of blocks in height order
      operationId: listBlocks
      parameters:
        - name: from
          in: query
          required: false
          schema: { type: integer, minimum: 1, default: 1 }
        - name: limit
          in: query
          required: false
          schema: { type: integer, minimum: 1, maximum: 100, default: 20 }
      responses:
        '200':
          description: The blocks, and where the next page starts.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/BlockPage' }
        '400':
          description: "`from` or `limit` is not a whole number in range."
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Error' }
  /v1/blocks/latest:
    get:
      tags: [blocks]
      summary: The head block
      operationId: getLatestBlock
      responses:
        '200':
          description: The head block.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Block' }
        '404':
          description: No block has committed yet.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Error' }
  /v1/blocks/{height}:
    get:
      tags: [blocks]
      summary: The block at a height
      operationId: getBlock
      parameters:
        - name: height
          in: path
          required: true
          schema: { type: integer, minimum: 1 }
      responses:
        '200':
          description: The block.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Block' }
        '400':
          description: The height is not a whole number of at least 1.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Error' }
        '404':
          description: No block at that height yet.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Error' }
  /v1/status:
    get:
      tags: [node]
      summary: The node's consensus state and peer links
      operationId: getStatus
      responses:
        '200':
          description: The status.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Status' }
  /healthz:
    get:
      tags: [node]
      summary: Liveness
      description: 200 while the process runs; 503 once its storage failed (restart it).
      operationId: getHealth
      responses:
        '200':
          description: Alive.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Probe' }
        '503':
          description: Storage failed.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Probe' }
  /readyz:
    get:
      tags: [node]
      summary: Readiness
      description: |
        200 when the node reaches quorum − 1 peers (the quorum follows from the validator count), is not
        catching up and is not changing view; 503 with the reasons otherwise.
      operationId: getReadiness
      responses:
        '200':
          description: Ready.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Probe' }
        '503':
          description: Not ready.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Probe' }
  /metrics:
    get:
      tags: [node]
      summary: Prometheus metrics
      description: |
        Counters `subchain_blocks_committed_total`, `subchain_events_committed_total`,
        `subchain_blocks_transferred_total`, `subchain_view_changes_started_total`, `subchain_views_installed_total`,
        `subchain_messages_received_total{type}`, `subchain_consensus_drops_total{reason}`,
        `subchain_transport_drops_total{reason}`; histogram `subchain_commit_latency_seconds` (submission to
        commit, per `?wait=commit` request); gauges `subchain_height`, `subchain_view`, `subchain_pending_events`,
        `subchain_peers_connected`, `subchain_peer_connected{peer}`.
      operationId: getMetrics
      responses:
        '200':
          description: The Prometheus text exposition format.
          content:
            text/plain:
              schema: { type: string }
  /openapi.yaml:
    get:
      tags: [node]
      summary: This document
      operationId: getOpenAPI
      responses:
        '200':
          description: The OpenAPI 3.1 document.
          content:
            application/yaml:
              schema: { type: string }
components:
  securitySchemes:
    apiKey:
      type: apiKey
      in: header
      name: X-API-Key
  schemas:
    Hash:
      type: string
      pattern: '^[0-9a-fA-F]{64}$'
      description: A SHA-256 digest in hexadecimal.
    ClientEvent:
      type: object
      required: [entityId, type]
      properties:
        entityId: { type: string, minLength: 1, description: 'What the event is about (at most 256 bytes).' }
        type: { type: string, minLength: 1, description: 'What happened, such as `shipped` (at most 128 bytes).' }
        details:
          type: object
          additionalProperties: { type: string }
          description: Free-form string attributes (at most 64); absent means none.
        clientId: { type: string, minLength: 1 }
        nonce: { type: string, minLength: 1, description: Makes otherwise identical events distinct. }
    EventBatch:
      type: object
      required: [events]
      properties:
        events:
          type: array
          minItems: 1
          maxItems: 1000
          items: { $ref: '#/components/schemas/ClientEvent' }
    SubmissionStatus:
      type: object
      required: [id, status]
      properties:
        id: { $ref: '#/components/schemas/Hash' }
        status: { type: string, enum: [accepted, committed, pending, overloaded] }
        height: { type: integer, description: The block height, once committed. }
    SubmissionResult:
      type: object
      required: [events]
      properties:
        events:
          type: array
          description: One entry per submitted event, in request order.
          items: { $ref: '#/components/schemas/SubmissionStatus' }
    SubmissionFailure:
      type: object
      required: [error, events]
      properties:
        error: { $ref: '#/components/schemas/ErrorDetail' }
        events:
          type: array
          items: { $ref: '#/components/schemas/SubmissionStatus' }
    EventContent:
      type: object
      required: [id]
      properties:
        id: { $ref: '#/components/schemas/Hash' }
        event: { $ref: '#/components/schemas/ClientEvent' }
        payload: { type: string, contentEncoding: base64, description: The raw bytes, when they are not a client event. }
    EventLookup:
      type: object
      required: [id, status]
      properties:
        id: { $ref: '#/components/schemas/Hash' }
        status: { type: string, enum: [pending, committed] }
        block:
          type: object
          required: [height, position]
          properties:
            height: { type: integer }
            position: { type: integer }
        event: { $ref: '#/components/schemas/ClientEvent' }
        payload: { type: string, contentEncoding: base64 }
    Block:
      type: object
      required: [height, hash, previousHash, digest, events, duplicateEventIds, certificate]
      properties:
        height: { type: integer }
        hash: { $ref: '#/components/schemas/Hash' }
        previousHash: { $ref: '#/components/schemas/Hash' }
        digest: { $ref: '#/components/schemas/Hash' }
        events:
          type: array
          items: { $ref: '#/components/schemas/EventContent' }
        duplicateEventIds:
          type: array
          description: Events of this block that had committed before; they are not committed again.
          items: { $ref: '#/components/schemas/Hash' }
        certificate:
          type: object
          required: [view, signers]
          properties:
            view: { type: integer }
            signers:
              type: array
              items: { type: string, examples: [node-0] }
    BlockPage:
      type: object
      required: [blocks]
      properties:
        blocks:
          type: array
          items: { $ref: '#/components/schemas/Block' }
        next: { type: integer, description: The `from` of the next page; absent when the page reached the head. }
    Status:
      type: object
      required: [nodeId, chainId, view, leader, height, headHash, stableCheckpoint, changingView, catchingUp, pendingEvents, validators, peers]
      properties:
        nodeId: { type: string, examples: [node-0] }
        chainId: { type: string }
        view: { type: integer }
        leader: { type: string, description: The primary of the current view. }
        height: { type: integer }
        headHash: { $ref: '#/components/schemas/Hash' }
        stableCheckpoint: { type: integer }
        changingView: { type: boolean }
        catchingUp: { type: boolean }
        pendingEvents: { type: integer }
        validators: { type: integer }
        failure: { type: string, description: Set when the node stopped because its storage failed. }
        peers:
          type: array
          items:
            type: object
            required: [id, address, state, framesSent, framesReceived]
            properties:
              id: { type: string }
              address: { type: string }
              state: { type: string, enum: [connecting, connected] }
              framesSent: { type: integer }
              framesReceived: { type: integer }
    Probe:
      type: object
      required: [status, reasons]
      properties:
        status: { type: string, enum: [ok, failed, ready, not_ready] }
        reasons:
          type: array
          items: { type: string }
    ErrorDetail:
      type: object
      required: [code, message]
      properties:
        code: { type: string, examples: [invalid_event] }
        message: { type: string }
        field: { type: string, examples: ['events[2].details.color'] }
    Error:
      type: object
      required: [error]
      properties:
        error: { $ref: '#/components/schemas/ErrorDetail' }
"""#
}
