"""Files, directories and standard input -> parsed records; and the reference data.

    from migrmeta.load import iter_records
    for record in iter_records(["records/"]):   # Record, or the InputError that stopped one file
        ...
"""

from migrmeta.load.files import (
    STDIN,
    STDIN_NAME,
    agencies_beside,
    expand_paths,
    files_read,
    format_for,
    iter_records,
    named_once,
    read_bounded,
    read_input,
    read_raw,
    read_stdin_once,
    read_trusted,
    walk,
)
from migrmeta.load.merged import Verdict
from migrmeta.load.record import LineIndex, Record, parse_bytes

__all__ = ["STDIN", "STDIN_NAME", "LineIndex", "Record", "Verdict", "agencies_beside", "expand_paths", "files_read",
           "format_for",
           "iter_records", "named_once", "parse_bytes", "read_bounded", "read_input", "read_raw", "read_stdin_once",
           "read_trusted", "walk"]
