/// What a snapshot knows about a node that is an OS process (a process child): sampled from
/// `/proc` when the snapshot is taken, outside the tree lock, one read per figure per child.
public struct ProcessDetails: Hashable, Sendable, Codable {
    /// The process's id (also its process group's id).
    public var pid: Int32
    /// CPU time used since the previous sample, as a percentage of one core over the time since
    /// it; nil for the first sample.
    public var cpuPercent: Double?
    /// Its resident set size in bytes, nil if it could not be read.
    public var residentBytes: UInt64?

    /// Creates process details.
    public init(pid: Int32, cpuPercent: Double? = nil, residentBytes: UInt64? = nil) {
        self.pid = pid
        self.cpuPercent = cpuPercent
        self.residentBytes = residentBytes
    }
}
