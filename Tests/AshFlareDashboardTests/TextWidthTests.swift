import AshFlareDashboard
import Testing

@Suite("Text width and sanitising")
struct TextWidthTests {
    @Test("ASCII, CJK, emoji and combining marks take 1, 2, 2 and 0 extra cells", arguments: [
        ("abc", 3), ("长城", 4), ("🔥", 2), ("e\u{301}", 1), ("a\u{200B}b", 2), ("", 0),
    ])
    func widths(text: String, cells: Int) {
        #expect(TextWidth.cells(text) == cells)
    }

    @Test("control and bidi-override characters are neutralised")
    func sanitize() {
        #expect(TextWidth.sanitize("a\tb\u{1B}[31m") == "a?b?[31m")
        #expect(!TextWidth.sanitize("\u{202E}evil").unicodeScalars.contains { $0.value == 0x202E })
        #expect(TextWidth.sanitize("长", ascii: true) == "?")
    }

    @Test("fit truncates with an ellipsis and pads to the exact width")
    func fit() {
        #expect(TextWidth.fit("payments-gateway", to: 8) == "payment…")
        #expect(TextWidth.fit("长长长长", to: 5) == "长长…")
        #expect(TextWidth.cells(TextWidth.fit("长长长长", to: 5)) == 5)
        #expect(TextWidth.fit("ab", to: 4) == "ab  ")
    }

    @Test("overlaying a line keeps the cells on both sides")
    func overlay() {
        let base = StyledLine("0123456789")
        #expect(base.overlaid(with: StyledLine("ab"), at: 3).text == "012ab56789")
        let wide = StyledLine("长长长长")
        let result = wide.overlaid(with: StyledLine("x"), at: 3)
        #expect(result.text == "长 x长长")
        #expect(result.width == 8)
    }
}
