import CMallocInfo
#if canImport(Glibc)
import Glibc
#endif

/// Process-wide memory readings for bytes-per-child figures.
public enum MemoryProbe {
    /// Bytes currently handed out by the C allocator (glibc `mallinfo2`: in-use arena chunks plus
    /// mmapped blocks, allocator headers included); `nil` where unavailable.
    public static func mallocInUse() -> Int? {
        let bytes = cmallocinfo_in_use()
        return bytes < 0 ? nil : Int(bytes)
    }

    /// The resident set size in bytes, from `/proc/self/statm`; `nil` where unavailable.
    public static func residentBytes() -> Int? {
        #if canImport(Glibc)
        let fd = open("/proc/self/statm", O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 128)
        let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        let fields = String(decoding: bytes[..<count], as: UTF8.self).split(separator: " ")
        guard fields.count >= 2, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
        #else
        return nil
        #endif
    }
}
