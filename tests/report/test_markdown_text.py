"""Text into Markdown: prose escaped to entities and backslashes, code spans and blocks fenced
longer than any run of backticks inside, names kept on one line."""

import html

from markdown_it import MarkdownIt

from mutation.report.markdown_text import code, code_block, text


def test_prose_turns_markup_into_entities_and_backslashes():
    assert text("<b>x</b> & *a* _b_ [c](d) `e` | #f ~g~ \\") == (
        "&lt;b&gt;x&lt;/b&gt; &amp; \\*a\\* \\_b\\_ \\[c\\](d) \\`e\\` \\| \\#f \\~g\\~ \\\\")


def test_prose_and_code_are_one_line():
    assert text("a\nb\r\nc") == "a b c"
    assert code("a\nb") == "`a b`"


def test_a_code_span_is_fenced_longer_than_its_longest_backtick_run():
    assert code("a<b>&c") == "`a<b>&c`"
    assert code("x `y` ``z``") == "``` x `y` ``z`` ```"
    assert code("a``b") == "```a``b```"


def test_a_code_span_with_a_backtick_or_space_at_an_edge_is_padded():
    assert code("`x") == "`` `x ``"
    assert code("x ") == "` x  `"
    assert code("") == "`  `"


def test_a_code_block_is_fenced_longer_than_any_backtick_run_in_it():
    assert code_block("a\n`````b", "diff") == ["``````diff", "a", "`````b", "``````"]
    assert code_block("plain") == ["```", "plain", "```"]
    assert code_block("``x``") == ["```", "``x``", "```"]


def test_every_piece_renders_back_to_its_own_text():
    """Rendered by a CommonMark renderer (markdown-it-py, raw HTML allowed), each piece is its text."""
    renderer = MarkdownIt("commonmark", {"html": True})
    values = ["<img src=x onerror=alert(1)>", "a ``b`` `", "`", " x", "*a* _b_ [c](d) #e \\f & <!-- g -->"]
    for value in values:
        assert renderer.render(code(value)) == f"<p><code>{html.escape(value, quote=False)}</code></p>\n"
        assert renderer.render(f"x {text(value)}") == f"<p>x {html.escape(value, quote=False)}</p>\n"
        block = "\n".join(code_block(f"{value}\n```\n````", "diff"))
        assert renderer.render(block) == (
            f'<pre><code class="language-diff">{html.escape(value, quote=False)}\n```\n````\n</code></pre>\n')
