/// Floods of connections and idle connections, round after round, from one thread.
struct Pressure {
    let setup: FuzzSetup
    let report: FuzzReport

    /// Opens more connections than the limit at once, each saying hello; holds them, then closes all.
    /// The server must refuse every connection past its limit.
    func flood() {
        let count = setup.maxConnections + 16
        let sockets = (0..<count).compactMap { index in RawSocket.connect(index % 2 == 0 ? setup.tcp : setup.unix) }
        var accepted = 0
        for (index, socket) in sockets.enumerated() {
            let token = index % 2 == 0 ? setup.readToken : nil
            socket.send(Mutator.hello(token: token) + "\n")
        }
        for socket in sockets {
            let received = socket.read(seconds: 5) { !$0.isEmpty }
            let outcome = Attacker.outcome(received, probeSeen: false)
            if outcome == "accepted" { accepted += 1 }
            report.record("connection flood (\(count) at once)", outcome)
        }
        if accepted > setup.maxConnections {
            report.violation("\(accepted) flood connections were accepted; the limit is \(setup.maxConnections)")
        }
        report.record("connection flood (\(count) at once)", "connect refused", times: count - sockets.count)
    }

    /// The lock-out attack: more silent connections than the server has slots of both kinds,
    /// held open; then a client with the right token must still get in at once. Before the
    /// pre-authentication cap, 64 silent connections locked every operator out.
    func lockout() {
        let count = setup.maxConnections + setup.maxPendingHandshakes + 16
        let silent = (0..<count).compactMap { index in RawSocket.connect(index % 2 == 0 ? setup.tcp : setup.unix) }
        report.record("lock-out (\(count) silent connections)", "connect refused", times: count - silent.count)
        guard let operatorSocket = RawSocket.connect(setup.tcp) else {
            report.violation("lock-out: the operator could not connect at all")
            return
        }
        operatorSocket.send(Mutator.hello(token: setup.readToken) + "\n")
        let outcome = Attacker.outcome(operatorSocket.read(seconds: 5) { !$0.isEmpty }, probeSeen: false)
        report.record("lock-out: operator with a token", outcome)
        if !outcome.hasPrefix("accepted") {
            report.violation("lock-out: \(silent.count) silent connections kept an operator with a token out ('\(outcome)')")
        }
        // The silent sockets close as they go out of scope.
        report.record("lock-out (\(count) silent connections)", "held, then closed", times: silent.count)
    }

    /// Opens connections that say nothing, and greeted ones that then go quiet; the server must
    /// close the first after the handshake timeout and the second after the idle timeout.
    func idle(connections: Int = 4) {
        let silent = (0..<connections).compactMap { index in RawSocket.connect(index % 2 == 0 ? setup.tcp : setup.unix) }
        let quiet = (0..<connections).compactMap { index -> RawSocket? in
            let target = index % 2 == 0 ? setup.tcp : setup.unix
            guard let socket = RawSocket.connect(target) else { return nil }
            socket.send(Mutator.hello(token: index % 2 == 0 ? setup.readToken : nil) + "\n")
            return socket
        }
        let limit = max(setup.handshakeTimeout, setup.idleTimeout) + 5
        for socket in silent {
            let outcome = Attacker.outcome(socket.read(seconds: limit), probeSeen: false)
            report.record("idle, no hello", outcome)
            if !outcome.hasPrefix("error handshakeTimeout") && !outcome.contains("tooManyConnections") {
                report.violation("an idle connection without hello ended with '\(outcome)', not handshakeTimeout")
            }
        }
        for socket in quiet {
            let outcome = Attacker.outcome(socket.read(seconds: limit), probeSeen: false)
            report.record("idle after hello", outcome)
            if outcome != "accepted, error idleTimeout, closed" && !outcome.contains("tooManyConnections") {
                report.violation("a quiet greeted connection ended with '\(outcome)', not idleTimeout")
            }
        }
    }
}

extension FuzzReport {
    /// Records `times` inputs with the same outcome.
    func record(_ category: String, _ outcome: String, times: Int) {
        for _ in 0..<max(0, times) { record(category, outcome) }
    }
}
