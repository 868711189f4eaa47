import AshFlare
import AshFlareProcess
import Yams
#if canImport(Glibc)
import Glibc
#endif

/// Reads a YAML tree file — nested supervisors of process children — into a ``SupervisorSpec``.
///
/// Everything is checked before anything starts; the first problem is one ``TreeFileError``
/// naming the file, line and field. The format is in docs/PROCESSES.md:
///
/// ```yaml
/// supervisor: shop
/// strategy: one-for-one
/// intensity: { max-restarts: 3, within: 5s }
/// children:
///   - id: web
///     command: [python3, -m, http.server, "8080"]
///     ready: { tcp: 8080, timeout: 10s }
/// ```
public enum TreeFile {
    /// Reads and checks the file at `path`.
    public static func load(_ path: String) throws(TreeFileError) -> SupervisorSpec {
        guard let text = ProcFile.read(path), access(path, R_OK) == 0 else {
            throw TreeFileError(file: path, line: nil, field: "", message: "cannot read the file")
        }
        return try parse(text, file: path)
    }

    /// Reads and checks `text`; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws(TreeFileError) -> SupervisorSpec {
        let root: Node
        do {
            guard let composed = try Yams.compose(yaml: text) else {
                throw TreeFileError(file: file, line: nil, field: "", message: "the file is empty")
            }
            root = composed
        } catch let error as TreeFileError {
            throw error
        } catch {
            throw TreeFileError(file: file, line: Self.line(of: error), field: "", message: "not valid YAML: \(error)")
        }
        let reader = TreeFileReader(file: file)
        return try reader.supervisor(root, field: "")
    }

    private static func line(of error: any Error) -> Int? {
        if let error = error as? YamlError, case .parser(_, _, let mark, _) = error { return mark.line }
        if let error = error as? YamlError, case .scanner(_, _, let mark, _) = error { return mark.line }
        return nil
    }
}
