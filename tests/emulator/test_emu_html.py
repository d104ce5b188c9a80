"""Telegram's HTML parse mode as the emulator implements it."""

import pytest

from emulator.html import EntityParseError, parse_html


def test_plain_text_is_untouched() -> None:
    assert parse_html("Привет, мир") == ("Привет, мир", [])


def test_tags_become_entities_with_utf16_offsets() -> None:
    text, entities = parse_html("😀 <b>жирный</b> <a href='https://x.org'>ссылка</a>")
    assert text == "😀 жирный ссылка"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 6},
        {"type": "text_link", "offset": 10, "length": 6, "url": "https://x.org"},
    ]


def test_html_entities_are_decoded() -> None:
    text, _ = parse_html("a &lt; b &gt; c &amp; &quot;d&quot; &#33;")
    assert text == 'a < b > c & "d" !'


def test_pre_with_language_and_spoilers() -> None:
    text, entities = parse_html(
        '<pre><code class="language-python">x = 1</code></pre>'
        '<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>'
    )
    assert text == "x = 1st"
    assert entities[0] == {"type": "pre", "offset": 0, "length": 5, "language": "python"}
    assert [e["type"] for e in entities[1:]] == ["spoiler", "spoiler"]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("Tom & Jerry", "Unsupported HTML entity"),
        ("<b", "Unclosed start tag at byte offset 0"),
    ],
)
def test_what_telegram_refuses(source: str, message: str) -> None:
    with pytest.raises(EntityParseError) as info:
        parse_html(source)
    assert message in str(info.value)


def test_lenient_ampersand_like_real_telegram() -> None:
    assert parse_html("Tom & Jerry", strict_ampersand=False)[0] == "Tom & Jerry"
