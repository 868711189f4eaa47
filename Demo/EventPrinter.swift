import AshFlare
import AshFlareDashboard

/// Prints events one per line as the tree heals (the plain mode, when stdout is not a terminal).
enum EventPrinter {
    static func print(_ events: SupervisorEvents) async {
        for await event in events {
            Swift.print(line(for: event))
        }
    }

    static func line(for event: SupervisorEvent) -> String {
        "[\(Format.stamp(event.time))s] " + LogText.describe(event.kind).0
    }
}
