"""Reading import files safely: every problem becomes a RecordError naming the line."""

import json
from pathlib import Path

from .report import RecordError

MAX_LINE_BYTES = 1024 * 1024


class FileProblem(RecordError):
    """A problem with a whole file, or with one line of it (``line`` None: the whole file)."""

    def __init__(self, reason, line=None):
        super().__init__(reason)
        self.line = line


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def read_text(path) -> str:
    """The file's text (UTF-8, a BOM allowed); FileProblem if missing, empty or not UTF-8."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise FileProblem("no such file") from None
    except IsADirectoryError:
        raise FileProblem("is a directory, not a file") from None
    except OSError as error:
        raise FileProblem(f"cannot read the file ({error.strerror})") from None
    if not data.strip():
        raise FileProblem("the file is empty")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileProblem(
            "not UTF-8 text (save the file as UTF-8)", line=_line_of(data, error.start)
        ) from None


class TooLongNumber:
    """Stands for a JSON integer longer than Python reads (``sys.get_int_max_str_digits()``),
    so that only the record holding it is refused, as a value of the wrong type."""

    def __init__(self, digits):
        self.digits = len(digits.lstrip("-"))

    def __repr__(self):
        return f"a number of {self.digits:,} digits"


def _integer(digits):
    try:
        return int(digits)
    except ValueError:
        return TooLongNumber(digits)


def read_json(path):
    """The JSON document in ``path``; FileProblem (with the line) if it is not valid JSON."""
    text = read_text(path)
    try:
        return json.loads(text, parse_int=_integer)
    except json.JSONDecodeError as error:
        raise FileProblem(f"not valid JSON ({error.msg})", line=error.lineno) from None
    except RecursionError:
        raise FileProblem("not valid JSON (nested too deeply)") from None


def iter_lines(path, *, max_bytes=MAX_LINE_BYTES):
    """Yield ``(line_number, text_or_problem)`` for each non-blank line of a text file.

    A line that is not UTF-8 or longer than ``max_bytes`` yields a FileProblem instead of
    its text, so one bad line never stops the rest of the file.
    """
    path = Path(path)
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise FileProblem("no such file") from None
    except IsADirectoryError:
        raise FileProblem("is a directory, not a file") from None
    except OSError as error:
        raise FileProblem(f"cannot read the file ({error.strerror})") from None
    seen_content = False
    with handle:
        number = 0
        while True:
            raw = handle.readline(max_bytes + 1)
            if not raw:
                break
            number += 1
            if len(raw) > max_bytes:
                while raw and not raw.endswith(b"\n"):
                    raw = handle.readline(max_bytes)
                seen_content = True
                yield (
                    number,
                    FileProblem(f"line longer than {max_bytes // (1024 * 1024)} MB", line=number),
                )
                continue
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            seen_content = True
            try:
                yield number, raw.decode("utf-8")
            except UnicodeDecodeError:
                yield number, FileProblem("not UTF-8 text (save the file as UTF-8)", line=number)
    if not seen_content:
        raise FileProblem("the file is empty")
