from lxml import html

from masthead.comments import text


def test_paragraphs_kept_and_lines_broken():
    """Blank lines make paragraphs; single newlines become line breaks."""
    out = text.render(text.normalise("One\ntwo\n\n\n\nThree"))
    assert out == "<p>One<br>two</p><p>Three</p>"


def test_urls_linked_with_ugc_rel():
    """Web addresses become links marked nofollow ugc noopener; the rest is text."""
    out = text.render("See https://example.org/a?b=1&c=2 now")
    link = html.fromstring(out).xpath("//a")[0]
    assert link.get("href") == "https://example.org/a?b=1&c=2"
    assert set(link.get("rel").split()) == {"nofollow", "ugc", "noopener"}


def test_markup_is_escaped_not_interpreted():
    """Tags, event handlers and javascript: URLs come out as visible text."""
    raw = (
        "<script>alert(1)</script><img src=x onerror=alert(1)> javascript:alert(1) "
        '<a href="javascript:x">y</a>'
    )
    out = text.render(raw)
    doc = html.fromstring(f"<div>{out}</div>")
    assert {el.tag for el in doc.iter()} == {"div", "p"}
    assert doc.text_content() == raw


def test_data_and_javascript_urls_never_become_links():
    """Only http and https addresses are linked; other schemes stay text."""
    out = text.render("data:text/html;base64,PHNjcmlwdD4= and javascript://example.org/%0aalert(1)")
    hrefs = html.fromstring(f"<div>{out}</div>").xpath("//a/@href")
    assert all(h.startswith(("http://", "https://")) for h in hrefs), hrefs
    assert "data:text/html" in html.fromstring(out).text_content()


def test_bidi_and_control_characters_removed():
    """Direction overrides, isolates, zero-width spaces and control characters are dropped."""
    raw = "abc\u202edcba\u2066x\u2069\u200b\x00\x07\x1b[31m ok"
    assert text.normalise(raw) == "abcdcbax[31m ok"


def test_unicode_normalised_to_nfc():
    """A decomposed é is stored as the single composed character."""
    assert text.normalise("Cafe\u0301") == "Caf\u00e9"


def test_display_names_are_single_line():
    """Names lose newlines and runs of spaces."""
    assert text.normalise("  Ana \n\n  Ruiz\t", multiline=False) == "Ana Ruiz"


def test_fingerprint_ignores_case_and_spacing():
    """Duplicate detection sees through case and whitespace changes."""
    assert text.fingerprint("Hello   World") == text.fingerprint("hello world")
    assert text.fingerprint("Hello World") != text.fingerprint("Hello there World")


def test_domains_found_with_and_without_scheme():
    """Blocklisted domains are found as bare host names and inside URLs."""
    assert {"spam.example", "www.bad.example"} <= text.domains(
        "visit spam.example or https://www.bad.example/x"
    )
