/// A supervisor's child records in start order, found by id.
///
/// The records live in an array (start order), so walking them in order and updating one in
/// place touch no hash table and copy nothing; a dictionary maps each id to its position.
/// Removing a child is O(children), as OTP's `delete_child` is.
struct ChildRecords: Sendable {
    /// The records, in start order.
    private(set) var ordered: [ChildRecord] = []
    /// The ids of ``ordered``, in the same order.
    private(set) var ids: [ChildID] = []
    private var positions: [ChildID: Int] = [:]
    /// The last id looked up and its position: one exit touches the same child five or six
    /// times (exit check, plan, path, restart, launch, running), and comparing an id with
    /// itself is much cheaper than hashing it.
    private var lastLookup: (id: ChildID, position: Int)?

    init() {}

    init(minimumCapacity: Int) {
        ordered.reserveCapacity(minimumCapacity)
        ids.reserveCapacity(minimumCapacity)
        positions.reserveCapacity(minimumCapacity)
    }

    var count: Int { ordered.count }

    /// The position of child `id` in start order.
    func position(of id: ChildID) -> Int? {
        if let lastLookup, lastLookup.id == id { return lastLookup.position }
        return positions[id]
    }

    /// The record of child `id` (a copy); setting nil removes it, setting a new id appends it.
    subscript(id: ChildID) -> ChildRecord? {
        get { position(of: id).map { ordered[$0] } }
        set {
            if let newValue {
                if let position = positions[id] { ordered[position] = newValue } else { append(newValue) }
            } else {
                remove(id)
            }
        }
    }

    /// Runs `body` on child `id`'s record in place; nil if there is no such child.
    @inline(__always)
    mutating func modify<R>(_ id: ChildID, _ body: (inout ChildRecord) -> R) -> R? {
        guard let position = position(of: id) else { return nil }
        lastLookup = (id, position)
        return body(&ordered[position])
    }

    /// Runs `body` on the record at `position` (in start order) in place.
    @inline(__always)
    mutating func modify<R>(at position: Int, _ body: (inout ChildRecord) -> R) -> R {
        body(&ordered[position])
    }

    /// Appends a record; its id must be new.
    mutating func append(_ record: ChildRecord) {
        positions[record.id] = ordered.count
        ordered.append(record)
        ids.append(record.id)
    }

    /// Removes child `id`; returns whether it was there.
    @discardableResult
    mutating func remove(_ id: ChildID) -> Bool {
        guard let position = positions.removeValue(forKey: id) else { return false }
        lastLookup = nil
        // The log goes with the spec: its followers end.
        ordered[position].log?.close()
        ordered.remove(at: position)
        ids.remove(at: position)
        for later in position..<ids.count { positions[ids[later]] = later }
        return true
    }
}
