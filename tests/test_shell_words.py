"""The shell tokenizer splits every line exactly as ``shlex`` does, which is the oracle here.

djcheck splits words with its own linear tokenizer (shlex is quadratic on a long line), so
each way djcheck uses shlex is replayed on generated lines: ``shlex.split`` for
:func:`words`, the lexer with ``punctuation_chars`` and comments for :func:`split_line`,
and decouple's ``Csv`` lexer (``,`` as whitespace) for ``config(..., cast=Csv())``.
"""

from __future__ import annotations

import shlex
from unittest import mock

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from djlint_docker.parse import shell
from djlint_docker.parse.shell import OPERATOR_CHARS, split_line, tokens, words

# Every character class the lexers tell apart: quotes, escapes, operators, whitespace
# (shlex's and Python's), the comment sign, word characters and others.
CHARACTERS = list("'\"\\();<>|&#$` \t\r\n\x0b,=-.*~/_aZ9éπ{}!")
# Closed quotes and escapes, so that most lines get past the first quote: single characters
# alone mostly make lines that shlex refuses.
PIECES = ['"a\\$b"', '"\\\\"', '"\\""', '"\\`\\\n"', '"x y"', "'a\\'", "'#;'", "\\ ", "\\#", "\\;", "\\\n",
          ";;", "&&", "||", "2>&1", "$(", "a=1", "# x\n", ",,"]
LINES = st.lists(st.sampled_from(CHARACTERS + PIECES), max_size=30).map("".join)
CORNERS = [
    "", " ", "''", '""', "a''b", "'' ''", "a\\", "a\\\\", "\\\n", "a\\ b", "'a\\'", "'a", '"a', 'a"b',
    '"a\\"b"', '"a\\\\b"', '"\\$x \\` \\\n \\a"', "a#b c", "#x\ny", "a;#b", ";;&&|", "a'b';c", "'x'#y",
    "\\#a", "x\r#y\nz", '"#" #', "é;à", "a\x0bb", "\"'\" '\"'", "a(b)c", "2>&1", "''#\n''", "\\'", "\\",
]


def shlex_tokens(text: str, whitespace: str = shell.BLANKS, comments: bool = False, operators: str = "") -> list[str]:
    """What shlex itself yields for the same configuration (raising its ValueError)."""
    lexer = shlex.shlex(text, posix=True, punctuation_chars=operators or False)
    lexer.whitespace = whitespace
    lexer.whitespace_split = True
    lexer.commenters = "#" if comments else ""
    return list(lexer)


def outcome(split, *args, **kwargs) -> list[str] | str:
    """The tokens, or ``"ValueError"`` when the split refuses the line."""
    try:
        return split(*args, **kwargs)
    except ValueError:
        return "ValueError"


def with_examples(test):
    for corner in CORNERS:
        test = example(corner)(test)
    return test


@settings(deadline=None)
@given(LINES)
@with_examples
def test_words_are_those_of_shlex_split(text):
    try:
        expected = shlex.split(text)
    except ValueError:
        expected = text.split()
    assert words(text) == expected
    assert outcome(tokens, text) == outcome(shlex_tokens, text)


@settings(deadline=None)
@given(LINES)
@with_examples
def test_command_line_tokens_are_those_of_the_shlex_lexer(text):
    options = {"comments": True, "operators": OPERATOR_CHARS}
    assert outcome(tokens, text, **options) == outcome(shlex_tokens, text, **options)


@settings(deadline=None)
@given(LINES)
@with_examples
@example("a,,b,'',c")
@example("a, b ,#x\nc")
def test_csv_tokens_are_those_of_decouples_shlex_lexer(text):
    options = {"whitespace": ",", "comments": True}
    assert outcome(tokens, text, **options) == outcome(shlex_tokens, text, **options)


@settings(deadline=None)
@given(LINES)
@with_examples
@example("sh -c 'exec gunicorn app.wsgi' 2>&1")
@example("A=1 env -i exec python manage.py runserver 0:8000 # dev")
def test_split_line_is_unchanged_from_the_shlex_version(text):
    text = text.replace("\n", " ")  # a newline ends a command, which shlex does not know (tested below)
    expected = split_line_with_shlex(text)
    assert split_line(text) == expected


@pytest.mark.parametrize(("script", "expected"), [
    # a compose file's literal block given to `sh -c`: one command per line
    ("python manage.py migrate\npython -m debugpy --listen 0.0.0.0:5678 manage.py runserver 0.0.0.0:8000\n",
     [("python", "manage.py", "migrate"),
      ("python", "-m", "debugpy", "--listen", "0.0.0.0:5678", "manage.py", "runserver", "0.0.0.0:8000")]),
    # an operator at the end of a line, a backslash before the newline and a comment go on as sh reads them
    ("python manage.py migrate &&\n  gunicorn app.wsgi \\\n  --bind 0.0.0.0:8000 # serve\ncelery -A app worker",
     [("python", "manage.py", "migrate"), ("gunicorn", "app.wsgi", "--bind", "0.0.0.0:8000"),
      ("celery", "-A", "app", "worker")]),
    # a newline inside quotes is part of the word
    ("echo 'one\ntwo' && exec gunicorn app.wsgi", [("echo", "one\ntwo"), ("gunicorn", "app.wsgi")]),
])
def test_a_newline_of_a_command_string_ends_a_command(script, expected):
    assert [command.words for command in shell.split_words(["sh", "-c", script])] == [tuple(w) for w in expected]


def split_line_with_shlex(text: str) -> list[shell.Command]:
    """:func:`split_line` as it was written with shlex's lexer (its ``sh -c`` scripts too)."""
    with mock.patch.object(shell, "tokens", shlex_tokens):
        return split_line(text)


@pytest.mark.parametrize(("line", "expected"), [
    # sh substitutes nothing for a substitution that holds only a comment: the command goes on.
    ("apt-get install -y libpq5 `# client` gcc && rm -rf /var/lib/apt/lists/*",
     [("apt-get", "install", "-y", "libpq5", "gcc"), ("rm", "-rf", "/var/lib/apt/lists/*")]),
    ("pip install a`# pinned`b", [("pip", "install", "ab")]),
    # A backtick in single quotes or escaped is a character; a `#` after it starts a comment.
    ("echo '`# x`' b", [("echo", "`# x`", "b")]),
    ("echo \\`# rest", [("echo", "`")]),
    # An unclosed substitution is left as it was.
    ("echo a `# b", [("echo", "a", "`")]),
])
def test_comment_substitution_expands_to_nothing(line, expected):
    assert [command.words for command in shell.split_line(line)] == [tuple(words) for words in expected]
