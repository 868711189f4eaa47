#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's standard streams and exit, without Foundation.
///
/// Lines go straight to the file descriptors (no stdio buffer), so a reader at the other end of a
/// pipe sees each line as soon as it is printed, and nothing is lost at exit.
enum Terminal {
    /// Writes a line to stdout.
    static func output(_ line: String) {
        write(line + "\n", to: 1)
    }

    /// Writes a line of text that may hold names, paths or messages from the tree to stdout,
    /// made safe for the terminal (see ``safe(_:)``).
    static func text(_ line: String) {
        output(safe(line))
    }

    /// Writes `flare: <message>` to stderr, made safe for the terminal (see ``safe(_:)``).
    static func error(_ message: String) {
        write("flare: " + safe(message) + "\n", to: 2)
    }

    /// `text` with every control character (C0, DEL, C1: escape sequences, bells, line breaks)
    /// and every bidirectional override or isolate replaced by `?`.
    ///
    /// Child ids and exit reasons are arbitrary strings, and a server is not necessarily
    /// trusted: printed raw, `\u{1B}]0;…` would retitle the terminal and `\u{202E}` would
    /// reverse what the reader sees.
    static func safe(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 || $0 >= 0x7F }) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let unsafe = scalar.properties.generalCategory == .control
                || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
            result.append(unsafe ? "?" : scalar)
        }
        return String(result)
    }

    /// An environment variable, if set and not empty.
    static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }

    /// Ends the process with `code`.
    static func exit(_ code: Int32) -> Never {
        #if canImport(Glibc)
        Glibc.exit(code)
        #elseif canImport(Musl)
        Musl.exit(code)
        #else
        Darwin.exit(code)
        #endif
    }

    private static func write(_ text: String, to descriptor: CInt) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }

    private static func systemWrite(_ descriptor: CInt, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(descriptor, bytes, count)
        #elseif canImport(Musl)
        Musl.write(descriptor, bytes, count)
        #else
        Darwin.write(descriptor, bytes, count)
        #endif
    }
}
