extension TreeCore {
    /// The log of the child at `path`.
    /// - Throws: `childNotFound` for an unknown path or a child that has never started,
    ///   `notAWorker` for a supervisor (it has no log of its own).
    func log(of path: ChildPath) throws(SupervisorError) -> ChildLog {
        try state.withLock { state throws(SupervisorError) -> ChildLog in
            if path.parent == nil, path.components.first == state.rootRecord.id {
                throw SupervisorError(.notAWorker, "'\(path)' is the root supervisor; supervisors have no log of their own (ask one of its children)")
            }
            let parent = try state.parent(of: path)
            guard let record = state.supervisors[parent.key]?.records[path.id] else { throw .notFound(path) }
            if record.spec.type == .supervisor {
                throw SupervisorError(.notAWorker, "'\(path)' is a supervisor; supervisors have no log of their own (ask one of its children)")
            }
            guard let log = record.log else {
                throw SupervisorError(.childNotFound, "'\(path)' has never started, so it has no log yet")
            }
            return log
        }
    }
}
