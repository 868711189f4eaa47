import AshFlare

/// One rendered frame as plain text, without a terminal: `flare-demo --once`, `flare top --once`.
public enum HeadlessFrame {
    /// Connects to every node, takes one snapshot each, and renders a frame of `width` × `height`.
    ///
    /// A node that cannot be reached is shown as disconnected.
    public static func render(
        nodes: [DashboardNode], options: DashboardOptions = DashboardOptions(), width: Int = 100, height: Int = 32
    ) async -> String {
        var state = DashboardState(names: nodes.map(\.name), options: options)
        state.resize(width: width, height: height)
        for (index, node) in nodes.enumerated() {
            do {
                let control = try await node.connect()
                state.apply(.snapshot(node: index, try await control.snapshot()))
            } catch {
                state.apply(.disconnected(node: index, reason: NodeFeed.describe(error)))
            }
        }
        return Renderer.renderText(state, width: width, height: height)
    }
}
