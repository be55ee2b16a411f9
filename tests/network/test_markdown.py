"""Posts are Markdown rendered on the server; hostile input never becomes active HTML."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from bascule.network.markdown import ALLOWED_TAGS, render


class Elements(HTMLParser):
    """The real elements and attributes of some HTML (escaped text is not an element)."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    def handle_comment(self, data):
        self.found.append(("<!--", {}))

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<div style=\"position:fixed\" onclick=\"alert(1)\">raw block</div>\n\ntext",
    "<style>body{display:none}</style>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<svg><script>alert(1)</script></svg>",
    "<!-- comment --><b onmouseover=alert(1)>x</b>",
    "![x](https://tracker.example/pixel.png)",
    "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    "[x](https://ok.example \"title\" onclick=alert(1))",
]


@pytest.mark.parametrize("source", HOSTILE)
def test_it_neutralises_hostile_input(source):
    html = render(source)
    for tag, attributes in Elements(html).found:
        assert tag in ALLOWED_TAGS, (source, html)
        assert set(attributes) <= {"href", "title", "rel", "start"}, (source, html)
        if "href" in attributes:
            scheme = urlsplit(attributes["href"].strip().lower()).scheme
            assert scheme in {"", "http", "https", "mailto"}, (source, html)


def test_it_renders_common_markdown():
    html = render("# Title\n\n**bold** *it* ~~old~~ `code`\n\n- a\n- b\n\n> quote")
    assert "<h3>Title</h3>" in html  # headings shifted below the page's own
    assert "<strong>bold</strong>" in html and "<em>it</em>" in html and "<s>old</s>" in html
    assert "<code>code</code>" in html and "<ul>" in html and "<blockquote>" in html


def test_it_renders_tables_without_style_attributes():
    html = render("| a | b |\n|:--|--:|\n| 1 | 2 |")
    assert "<table>" in html and "<th>a</th>" in html and "style" not in html


def test_it_marks_links_nofollow_noopener():
    html = render("[site](https://example.com/a?b=1) and <https://example.org> and [me](mailto:a@example.com)")
    assert html.count('rel="nofollow noopener"') == 3
    assert 'href="https://example.com/a?b=1"' in html


def test_it_turns_images_into_links():
    assert render("![chart](https://example.com/c.png)") == (
        '<p>!<a href="https://example.com/c.png" rel="nofollow noopener">chart</a></p>'
    )


def test_it_shows_typed_html_as_text():
    assert render("Use <b>tags</b>") == "<p>Use &lt;b&gt;tags&lt;/b&gt;</p>"
