"""The command line's one-line errors for a data dir it cannot use (cli_common.data_dir_error)."""

from __future__ import annotations

import errno
from pathlib import Path

from failtui import locations
from failtui.cli_common import data_dir_error
from failtui.storage.db import DatabaseError

HOME = Path("/tmp/failtui-home")


def test_a_file_system_refusal_names_the_folder_and_the_reason():
    refused = PermissionError(errno.EACCES, "Permission denied")
    assert data_dir_error(refused, HOME).message == (
        "/tmp/failtui-home: cannot use the data directory: Permission denied"
    )


def test_an_os_error_without_a_reason_says_what_it_is_not_none():
    assert data_dir_error(OSError("disk gone"), HOME).message == (
        "/tmp/failtui-home: cannot use the data directory: disk gone"
    )


def test_an_unsafe_folder_and_a_damaged_database_keep_their_own_words():
    unsafe = locations.UnsafeDataDir("/tmp/failtui-home can be changed by other users")
    damaged = DatabaseError("failtui.db: not a failtui database")
    assert data_dir_error(unsafe, HOME).message == "/tmp/failtui-home can be changed by other users"
    assert data_dir_error(damaged, HOME).message == "failtui.db: not a failtui database"
