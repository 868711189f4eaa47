"""Renders a tmux `capture-pane -e -p` dump (text with SGR escapes) to a PNG.

    python render.py CAPTURE.ans OUT.png --width 120 --height 36 [--title TEXT]

The capture is replayed into a pyte screen of the pane's size, then every cell is drawn with
DejaVu Sans Mono (bold where the terminal had bold) on a dark palette close to xterm's.
"""
import argparse
import pyte
from PIL import Image, ImageDraw, ImageFont

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
FONT_SIZE = 15
BACKGROUND = (24, 26, 33)
FOREGROUND = (220, 223, 228)
# The 16 ANSI colours (normal, then bright), tuned for a dark background.
ANSI = {
    "black": (40, 44, 52), "red": (224, 108, 117), "green": (152, 195, 121), "brown": (229, 192, 123),
    "blue": (97, 175, 239), "magenta": (198, 120, 221), "cyan": (86, 182, 194), "white": (220, 223, 228),
    "brightblack": (92, 99, 112), "brightred": (240, 130, 140), "brightgreen": (170, 215, 140),
    "brightbrown": (240, 210, 140), "brightblue": (130, 195, 250), "brightmagenta": (215, 145, 235),
    "brightcyan": (110, 200, 210), "brightwhite": (250, 250, 250),
}


def colour(name, default):
    """pyte gives a colour name, a 6-digit hex string (256 and true colours), or 'default'."""
    if name == "default":
        return default
    if name in ANSI:
        return ANSI[name]
    if name.startswith("bright") is False and len(name) == 6:
        try:
            return tuple(int(name[i:i + 2], 16) for i in (0, 2, 4))
        except ValueError:
            pass
    return default


def render(capture, out, width, height, title=None):
    screen = pyte.Screen(width, height)
    stream = pyte.Stream(screen)
    lines = capture.split("\n")
    for index, line in enumerate(lines[:height]):
        stream.feed(line.rstrip("\r"))
        stream.feed("\x1b[0m")
        if index + 1 < min(len(lines), height):
            stream.feed("\r\n")
    regular = ImageFont.truetype(FONT_DIR + "DejaVuSansMono.ttf", FONT_SIZE)
    bold = ImageFont.truetype(FONT_DIR + "DejaVuSansMono-Bold.ttf", FONT_SIZE)
    cell_w = round(regular.getlength("M"))
    ascent, descent = regular.getmetrics()
    cell_h = ascent + descent + 2
    pad = 14
    bar = 30 if title else 0
    image = Image.new("RGB", (width * cell_w + 2 * pad, height * cell_h + 2 * pad + bar), BACKGROUND)
    draw = ImageDraw.Draw(image)
    if title:
        draw.rectangle([0, 0, image.width, bar], fill=(44, 47, 56))
        for i, dot in enumerate([(237, 106, 94), (245, 191, 79), (98, 197, 84)]):
            draw.ellipse([12 + i * 20, 9, 24 + i * 20, 21], fill=dot)
        draw.text((image.width // 2, bar // 2), title, font=regular, fill=(180, 184, 192), anchor="mm")
    for y in range(height):
        row = screen.buffer[y]
        for x in range(width):
            char = row[x]
            fg = colour(char.fg, FOREGROUND)
            bg = colour(char.bg, BACKGROUND)
            if char.reverse:
                fg, bg = bg, fg
            left, top = pad + x * cell_w, pad + bar + y * cell_h
            if bg != BACKGROUND:
                draw.rectangle([left, top, left + cell_w - 1, top + cell_h - 1], fill=bg)
            if char.data and char.data != " ":
                draw.text((left, top + 1), char.data, font=bold if char.bold else regular, fill=fg)
    image.save(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("capture")
    parser.add_argument("out")
    parser.add_argument("--width", type=int, required=True)
    parser.add_argument("--height", type=int, required=True)
    parser.add_argument("--title")
    args = parser.parse_args()
    with open(args.capture, encoding="utf-8", errors="replace") as file:
        capture = file.read()
    render(capture, args.out, args.width, args.height, args.title)


if __name__ == "__main__":
    main()
