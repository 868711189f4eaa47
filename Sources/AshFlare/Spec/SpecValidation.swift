extension SupervisorSpec {
    /// Checks the whole tree up front, like OTP's `check_childspecs`.
    ///
    /// - Throws: ``SupervisorError`` with code ``SupervisorError/Code/invalidSpec`` naming the
    ///   first offending field and value, e.g. `root/db: intensity.maxRestarts must not be negative (was -1)`.
    public func validate() throws(SupervisorError) {
        try validate(at: nil)
    }

    func validate(at parent: ChildPath?) throws(SupervisorError) {
        try ChildSpec.validateID(id, at: parent)
        let path = parent?.appending(id) ?? ChildPath(components: [id])
        if intensity.maxRestarts < 0 {
            throw .invalid("\(path): intensity.maxRestarts", "must not be negative (was \(intensity.maxRestarts))")
        }
        if intensity.period <= .zero {
            throw .invalid("\(path): intensity.period", "must be positive (was \(intensity.period))")
        }
        var names = Set<String>()
        for template in templates {
            if template.name.isEmpty { throw .invalid("\(path): template name", "must not be empty (was '')") }
            if !names.insert(template.name).inserted {
                throw .invalid("\(path): template name", "must be unique (was '\(template.name)' twice)")
            }
        }
        var seen = Set<ChildID>()
        for child in children {
            if !seen.insert(child.id).inserted {
                throw .invalid("\(path): child id", "must be unique (was '\(child.id)' twice)")
            }
            try child.validate(under: path)
        }
    }
}

extension ChildSpec {
    /// Checks this child (and, for a supervisor, its subtree) as a child of `parent`.
    public func validate(under parent: ChildPath) throws(SupervisorError) {
        try Self.validateID(id, at: parent)
        // Built only for an error message: most specs are valid.
        var path: ChildPath { parent.appending(id) }
        if case .timeout(let duration) = shutdown, duration < .zero {
            throw .invalid("\(path): shutdown", "timeout must not be negative (was \(duration))")
        }
        if backoff.initial < .zero || backoff.maximum < backoff.initial {
            throw .invalid("\(path): backoff", "needs 0 ≤ initial ≤ maximum (was \(backoff.initial)…\(backoff.maximum))")
        }
        if !(0...1).contains(backoff.jitter) {
            throw .invalid("\(path): backoff.jitter", "must be within 0...1 (was \(backoff.jitter))")
        }
        if backoff.resetAfter < .zero {
            throw .invalid("\(path): backoff.resetAfter", "must not be negative (was \(backoff.resetAfter))")
        }
        if case .supervisor(let spec) = kind {
            if spec.id != id {
                throw .invalid("\(path): id", "must equal the nested supervisor's id (was '\(id)' for '\(spec.id)')")
            }
            try spec.validate(at: parent)
        }
    }

    static func validateID(_ id: ChildID, at parent: ChildPath?) throws(SupervisorError) {
        // The message prefix is formatted only when there is an error (it joins the path).
        var place: String { parent.map { "\($0): " } ?? "" }
        if id.isEmpty { throw .invalid("\(place)id", "must not be empty (was '')") }
        if id.utf8.contains(UInt8(ascii: "/")) { throw .invalid("\(place)id", "must not contain '/' (was '\(id)')") }
    }
}
