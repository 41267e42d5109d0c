import Consensus

extension Simulation {
    /// Reports every frame sent, view entered, timer started and block committed, one line each.
    public func traceActions(to trace: @escaping (String) -> Void) {
        actionObserver = { [unowned self] node, action in
            let prefix = "t=\(self.now / 1000)ms \(node.id)\(node.isTwin ? "'" : "")"
            func describe(_ frame: [UInt8]) -> String {
                guard let message = self.decode(frame) else { return "?" }
                switch message {
                case .prePrepare(let vote, let block): return "pre-prepare v\(vote.view) s\(vote.sequence) \(vote.digest) (\(block.events.count) events)"
                case .vote(let vote): return "\(vote.phase) v\(vote.view) s\(vote.sequence) \(vote.digest)"
                case .viewChange(let viewChange, _): return "view-change →v\(viewChange.newView) ckpt \(viewChange.checkpoint.sequence) prepared \(viewChange.prepared.map(\.sequence))"
                case .newView(let newView, _): return "new-view v\(newView.view) \(newView.prePrepares.map { "s\($0.sequence)" })"
                case .stateRequest(let request): return "state-request from \(request.fromHeight) (v\(request.view))"
                case .stateResponse(let response, _): return "state-response \(response.certificates.map(\.sequence)) v\(response.view) nv=\(response.newView?.view.description ?? "-")"
                case .forward(let forward): return "forward \(forward.events.count)"
                }
            }
            switch action {
            case .send(let frame, let peer): trace("\(prefix) → \(peer): \(describe(frame))")
            case .broadcast(let frame): trace("\(prefix) → all: \(describe(frame))")
            case .commit(let block): trace("\(prefix) COMMIT h\(block.height) \(block.block.digest)")
            case .enteredView(let view, let primary): trace("\(prefix) entered v\(view) primary \(primary)")
            case .startTimer(let timer, let after): trace("\(prefix) timer \(timer) \(after)")
            case .persist, .cancelTimer, .rejectEvents: break
            }
        }
    }
}
