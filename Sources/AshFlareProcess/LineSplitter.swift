/// Splits a process's output bytes into lines, pure and bounded: a line longer than the limit
/// is cut there and marked, the rest of it up to the newline is dropped, and invalid UTF-8 is
/// replaced with U+FFFD. Memory stays below the limit whatever the process prints.
struct LineSplitter {
    private let maxLineBytes: Int
    private var pending: [UInt8] = []
    /// Whether the current line was already cut, so its rest is dropped.
    private var discarding = false

    init(maxLineBytes: Int) { self.maxLineBytes = maxLineBytes }

    /// Feeds bytes; returns the lines they complete (without their `\n`, a trailing `\r` removed).
    mutating func feed(_ bytes: some Sequence<UInt8>) -> [String] {
        var lines: [String] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if !discarding { lines.append(Self.text(pending)) }
                pending.removeAll(keepingCapacity: true)
                discarding = false
                continue
            }
            guard !discarding else { continue }
            pending.append(byte)
            if pending.count >= maxLineBytes {
                lines.append(Self.text(pending) + ProcessSpec.cutMarker)
                pending.removeAll(keepingCapacity: true)
                discarding = true
            }
        }
        return lines
    }

    /// The last, unterminated line, if any (at end of output).
    mutating func finish() -> String? {
        defer { pending.removeAll() }
        return pending.isEmpty || discarding ? nil : Self.text(pending)
    }

    private static func text(_ bytes: [UInt8]) -> String {
        var line = bytes[...]
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        return String(decoding: line, as: UTF8.self)
    }
}
