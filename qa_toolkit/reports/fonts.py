"""Unicode fonts for PDFs: DejaVu Sans embedded, with a CJK fallback per run of text.

reportlab's standard fonts only cover Latin-1, so names such as 李雷 or arrows would come out
as black boxes. DejaVu Sans is found at run time (``$QA_REPORT_FONT``, fontconfig's usual
directories, matplotlib's package data); characters it lacks are set in a CJK TrueType font when
one is installed (Droid Sans Fallback, WenQuanYi) or else in reportlab's built-in CID font
``STSong-Light``; anything still uncovered is written as its Unicode name in brackets.
"""

from __future__ import annotations

import importlib.util
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from qa_toolkit.config import get_settings
from qa_toolkit.errors import QAError

FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts",
             "/Library/Fonts", "/System/Library/Fonts", "C:/Windows/Fonts")
CJK_FILES = ("DroidSansFallbackFull.ttf", "DroidSansFallback.ttf", "wqy-microhei.ttc", "wqy-zenhei.ttc")
CID_FALLBACK = "STSong-Light"
BASE = "QASans"


class FontNotFoundError(QAError):
    """No Unicode TrueType font to embed in PDFs."""


def _search(name: str, extra: tuple[Path, ...] = ()) -> Path | None:
    for directory in (*extra, *(Path(d).expanduser() for d in FONT_DIRS)):
        if not directory.is_dir():
            continue
        direct = directory / name
        if direct.is_file():
            return direct
        for found in directory.rglob(name):
            return found
    return None


def _matplotlib_fonts() -> tuple[Path, ...]:
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return ()
    return tuple(Path(p) / "mpl-data" / "fonts" / "ttf" for p in spec.submodule_search_locations)


def find_dejavu() -> tuple[Path, Path | None]:
    """The DejaVu Sans regular and bold files (bold may be missing).

    Raises:
        FontNotFoundError: not installed; the message says how to install it.
    """
    override = get_settings().report_font
    if override:
        path = override.expanduser()
        if not path.is_file():
            raise FontNotFoundError(f"QA_REPORT_FONT={override}: no such font file")
        bold = path.with_name(path.stem + "-Bold" + path.suffix)
        return path, bold if bold.is_file() else None
    extra = _matplotlib_fonts()
    regular = _search("DejaVuSans.ttf", extra)
    if regular is None:
        raise FontNotFoundError(
            "no Unicode font for PDFs: install DejaVu Sans (Debian/Ubuntu: apt-get install fonts-dejavu-core; "
            "or pip install matplotlib, which ships it) or set QA_REPORT_FONT=/path/to/font.ttf")
    bold = regular.with_name("DejaVuSans-Bold.ttf")
    return regular, bold if bold.is_file() else _search("DejaVuSans-Bold.ttf", extra)


@dataclass
class Fonts:
    """Registered font names and the per-character coverage used to pick a font for each run."""

    regular: str
    bold: str
    fallback: str
    covered: frozenset[int]
    fallback_covered: frozenset[int] | None  # None: the CID font, assumed to cover CJK
    _cache: dict[str, str] = field(default_factory=dict)

    def _fallback_has(self, code: int) -> bool:
        if self.fallback_covered is not None:
            return code in self.fallback_covered
        return _is_cjk(code)

    def markup(self, text: object) -> str:
        """Paragraph markup for user text: escaped (``<``, ``&``, ``>``), CJK runs in the fallback font."""
        value = "" if text is None else str(text)
        cached = self._cache.get(value)
        if cached is not None:
            return cached
        parts: list[str] = []
        run: list[str] = []
        in_fallback = False
        for char in value:
            code = ord(char)
            if char == "\n" or code in self.covered or code < 32:
                use_fallback = False
            elif self._fallback_has(code):
                use_fallback = True
            else:
                char, use_fallback = f"[{unicodedata.name(char, f'U+{code:04X}').lower()}]", False
            if use_fallback != in_fallback and run:
                parts.append(self._run("".join(run), in_fallback))
                run = []
            in_fallback = use_fallback
            run.append(char)
        if run:
            parts.append(self._run("".join(run), in_fallback))
        result = "".join(parts)
        if len(self._cache) < 50_000:
            self._cache[value] = result
        return result

    def _run(self, text: str, fallback: bool) -> str:
        escaped = escape(text).replace("\n", "<br/>")
        return f'<font name="{self.fallback}">{escaped}</font>' if fallback else escaped

    def plain(self, text: object) -> str:
        """Text for a chart label (no markup): characters no font covers become their names."""
        value = "" if text is None else str(text)
        return "".join(c if ord(c) in self.covered or self._fallback_has(ord(c)) or ord(c) < 32
                       else f"[{unicodedata.name(c, 'U+%04X' % ord(c)).lower()}]" for c in value)

    def for_text(self, text: str) -> str:
        """The font for a whole label: the fallback when the base font lacks any of its characters."""
        return self.fallback if any(ord(c) not in self.covered and self._fallback_has(ord(c)) for c in text) \
            else self.regular


def _reuse_subsets(font: Any) -> Any:
    """Let ``font`` (a reportlab ``TTFont``) reuse the subset files it already made in this process.

    reportlab cuts a new font file out of the TrueType font for every 256-character subset of every
    PDF; the bytes depend only on the characters and their order, which repeat across a batch of
    reports (the same headings and labels come first in each). The file is the same either way.
    """
    make = font.face.makeSubset

    @lru_cache(maxsize=64)
    def cached(codes: tuple[int, ...]) -> bytes:
        return make(list(codes))

    font.face.makeSubset = lambda subset: cached(tuple(subset))
    return font


def _is_cjk(code: int) -> bool:
    return (0x2E80 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF
            or 0xFF00 <= code <= 0xFFEF or 0x20000 <= code <= 0x2FA1F)


@lru_cache(maxsize=1)
def load_fonts() -> Fonts:
    """Find, register (once per process) and describe the fonts for PDFs.

    Raises:
        FontNotFoundError: no DejaVu Sans (or ``$QA_REPORT_FONT``) to embed.
    """
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    regular_path, bold_path = find_dejavu()
    try:
        regular = _reuse_subsets(TTFont(BASE, str(regular_path)))
    except Exception as exc:  # noqa: BLE001 - reportlab raises plain exceptions for unreadable fonts
        raise FontNotFoundError(f"cannot use font {regular_path}: {exc}") from None
    pdfmetrics.registerFont(regular)
    bold_name = BASE
    if bold_path is not None:
        pdfmetrics.registerFont(_reuse_subsets(TTFont(BASE + "-Bold", str(bold_path))))
        bold_name = BASE + "-Bold"
    for bold, italic, name in ((0, 0, BASE), (1, 0, bold_name), (0, 1, BASE), (1, 1, bold_name)):
        addMapping(BASE, bold, italic, name)
    covered = frozenset(regular.face.charToGlyph)

    fallback_path = next((p for p in (_search(n) for n in CJK_FILES) if p is not None), None)
    if fallback_path is not None:
        try:
            fallback = TTFont("QAFallback", str(fallback_path), subfontIndex=0)
            pdfmetrics.registerFont(fallback)
            for bold, italic in ((0, 0), (1, 0), (0, 1), (1, 1)):
                addMapping("QAFallback", bold, italic, "QAFallback")
            return Fonts(BASE, bold_name, "QAFallback", covered, frozenset(fallback.face.charToGlyph))
        except Exception:  # noqa: BLE001 - an unusable fallback font: use the CID font instead
            pass
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
    return Fonts(BASE, bold_name, CID_FALLBACK, covered, None)
