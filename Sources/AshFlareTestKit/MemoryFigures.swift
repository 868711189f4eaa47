import Foundation

/// Resident memory figures of this process in KiB, from `/proc/self/status` (Linux), for the
/// memory bounds of soak and fuzz runs: RSS after warm-up, at the end, and its peak.
public struct MemoryFigures: Sendable {
    /// RSS once the run has warmed up.
    public var warmUpKB = 0
    /// RSS at the end of the run.
    public var endKB = 0
    /// The peak RSS of the process (`VmHWM`).
    public var peakKB = 0

    /// Creates figures, all zero until read.
    public init() {}

    /// Whether this process runs under AddressSanitizer, whose quarantine of freed memory makes
    /// RSS a figure of the sanitizer's allocator rather than of the code under test.
    public static var underAddressSanitizer: Bool {
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), "__asan_init") != nil
    }

    /// The value of a `/proc/self/status` field in KiB (`VmRSS`, `VmHWM`, …); 0 where unavailable.
    public static func read(_ field: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            return Int(line.split(separator: " ").dropFirst().first { Int($0) != nil } ?? "0") ?? 0
        }
        return 0
    }
}
