"""Main text of an HTML page: paragraphs and headings, boilerplate (scripts, navigation,
headers, footers, forms) dropped. Standard library only."""
from __future__ import annotations

import html as html_lib
from html.parser import HTMLParser

_DROP = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "svg",
         "iframe", "template", "button", "select"}
_BLOCK = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li",
          "blockquote", "pre", "tr", "br", "dd", "dt", "figcaption", "td"}
_VOID = {"br", "img", "hr", "meta", "link", "input", "source", "wbr", "area", "base", "col", "embed", "param", "track"}


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.drop_depth = 0
        self.in_title = False
        self.title: list[str] = []
        self.blocks: list[list[str]] = [[]]

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            if tag == "br":
                self.blocks.append([])
            return
        if tag in _DROP:
            self.drop_depth += 1
        elif tag == "title":
            self.in_title = True
        elif tag in _BLOCK:
            self.blocks.append([])

    def handle_endtag(self, tag):
        if tag in _DROP and self.drop_depth:
            self.drop_depth -= 1
        elif tag == "title":
            self.in_title = False
        elif tag in _BLOCK:
            self.blocks.append([])

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        elif not self.drop_depth:
            self.blocks[-1].append(data)


def html_to_text(markup: str) -> tuple[str | None, str]:
    """(title, main text) of an HTML page; blocks are separated by blank lines."""
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    paragraphs = [" ".join("".join(b).split()) for b in parser.blocks]
    text = "\n\n".join(p for p in paragraphs if p)
    title = " ".join(html_lib.unescape("".join(parser.title)).split()) or None
    return title, text
