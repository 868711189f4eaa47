import CAshFlareProcess
#if canImport(Glibc)
import Glibc
#endif

/// Whether processes are alive, from the kernel's own state (for tests and tools).
package enum ProcessLiveness {
    /// Whether `pid` names a process that has not exited (a zombie has exited).
    package static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = readStat(pid) else { return false }
        return stat != "Z" && stat != "X"
    }

    /// Waits, without spinning, until `pid` has exited or `timeoutMilliseconds` have passed;
    /// whether it has exited. Blocks the calling thread in `poll(2)` on the process's pidfd.
    package static func waitUntilExited(_ pid: Int32, timeoutMilliseconds: Int32) -> Bool {
        let fd = ashflare_pidfd_open(pid)
        guard fd >= 0 else { return !isAlive(pid) }
        defer { close(fd) }
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, timeoutMilliseconds) == 1 || !isAlive(pid)
    }

    /// The state letter of `/proc/PID/stat` (`R`, `S`, `Z`, …).
    private static func readStat(_ pid: Int32) -> Character? {
        guard let text = ProcFile.read("/proc/\(pid)/stat"), let close = text.lastIndex(of: ")") else { return nil }
        return text[text.index(after: close)...].first { $0 != " " }
    }
}

/// Reads small files of `/proc` without Foundation.
package enum ProcFile {
    /// The file's text, or nil if it cannot be read.
    package static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// CPU time and resident memory of a process, from `/proc`.
enum ProcStat {
    /// User plus system CPU seconds (`utime` + `stime` of `/proc/PID/stat`).
    static func cpuSeconds(of pid: Int32) -> Double? {
        guard let text = ProcFile.read("/proc/\(pid)/stat"), let close = text.lastIndex(of: ")") else { return nil }
        // After "pid (comm)": state is field 3; utime and stime are fields 14 and 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Resident set size in bytes (the second field of `/proc/PID/statm`, in pages).
    static func residentBytes(of pid: Int32) -> UInt64? {
        guard let text = ProcFile.read("/proc/\(pid)/statm") else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = UInt64(fields[1]) else { return nil }
        return pages * UInt64(sysconf(Int32(_SC_PAGESIZE)))
    }
}
