import AshFlareDashboard
import AshFlareTerminal
import Testing

@Suite("The dashboard config file: theme and keys, errors naming the line")
struct DashboardConfigTests {
    func error(_ text: String) -> String? {
        do {
            _ = try DashboardConfig.parse(text, file: "dash.toml")
            return nil
        } catch {
            return error.message
        }
    }

    @Test("a theme and key bindings become styles and a key map")
    func parses() throws {
        let config = try DashboardConfig.parse("""
            # comment
            [theme]
            running = "blue"
            failed = "magenta bold"
            backing-off = "yellow underline"

            [keys]
            kill = "K"
            next-trouble = "!"
            """, file: "dash.toml")
        #expect(config.theme[.running] == TextStyle(foreground: .blue))
        #expect(config.theme[.failed] == TextStyle(foreground: .magenta, bold: true))
        #expect(config.theme[.backingOff] == TextStyle(foreground: .yellow, underline: true))
        #expect(config.keyMap == ["K": "x", "!": "n"])
        var options = DashboardOptions()
        config.apply(to: &options)
        #expect(options.keyMap["K"] == "x")
        #expect(Theme.style(for: .running, color: true, overrides: options.theme).foreground == .blue)
        #expect(Theme.style(for: .running, color: false, overrides: options.theme).foreground == nil)
    }

    @Test("bad entries are errors naming the file, the line and the entry", arguments: [
        ("[theme]\nrunning = \"green\"\nrunnin = \"red\"\n", "dash.toml:3: [theme] runnin: not a role"),
        ("[theme]\n\nfailed = \"crimson bold\"\n", "dash.toml:3: [theme] failed = \"crimson bold\": 'crimson' is not a colour or attribute"),
        ("[keys]\nkill = \"KK\"\n", "dash.toml:2: [keys] kill: expected one character"),
        ("[keys]\nexplode = \"e\"\n", "dash.toml:2: [keys] explode: not an action"),
        ("[keys]\nkill = \"g\"\n", "collides with the built-in 'g' (jump to the top)"),
        ("[colors]\nred = 1\n", "dash.toml:1: unknown section [colors]"),
        ("[theme]\nrunning = \n", "dash.toml:2:"),
        ("[theme]\nrunning = 3\n", "dash.toml:2: [theme] running: expected a string"),
    ])
    func badEntries(text: String, expected: String) {
        let message = error(text)
        #expect(message?.contains(expected) == true, "\(message ?? "no error")")
    }

    @Test("the default path follows XDG, then HOME; a missing default file is an empty config, a missing --config is an error")
    func paths() throws {
        #expect(DashboardConfig.defaultPath(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]) == "/x/ashflare/dashboard.toml")
        #expect(DashboardConfig.defaultPath(environment: ["HOME": "/h"]) == "/h/.config/ashflare/dashboard.toml")
        #expect(try DashboardConfig.load(explicitPath: nil, environment: ["HOME": "/nonexistent-home"]) == DashboardConfig())
        #expect(throws: DashboardError.self) { try DashboardConfig.load(explicitPath: "/nonexistent/dash.toml", environment: [:]) }
    }
}
