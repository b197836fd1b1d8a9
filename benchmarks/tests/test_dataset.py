"""The data set's warm-up must not disturb the SQLite connections of the process that runs it."""

import sqlite3
import subprocess
import sys

from benchmarks.dataset import page_in

# Another process opening the database and closing it: the last connection to close checkpoints
# the WAL and deletes it.
OPEN_AND_CLOSE = "import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute('SELECT * FROM t').fetchall()"


def wal_database(tmp_path):
    path = tmp_path / "bench.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE t (x)")
    connection.execute("INSERT INTO t VALUES (1)")
    connection.commit()
    return path, connection


def another_process_opens_and_closes(path):
    subprocess.run([sys.executable, "-c", OPEN_AND_CLOSE, str(path)], check=True)  # noqa: S603


def test_reading_the_files_keeps_this_process_connection_and_its_wal(tmp_path):
    path, connection = wal_database(tmp_path)
    wal = path.with_name(path.name + "-wal")

    page_in([path, wal, tmp_path / "missing"])
    another_process_opens_and_closes(path)

    # Our connection still counts: the other process was not the last and left the WAL alone.
    assert wal.exists()
    connection.execute("INSERT INTO t VALUES (2)")
    connection.commit()
    assert connection.execute("SELECT count(*) FROM t").fetchone() == (2,)
    connection.close()


def test_the_hazard_it_avoids_is_real(tmp_path):
    # Reading the file in this process drops our connection's locks: the WAL is then deleted under
    # it. If this stopped happening, page_in() could read the files itself.
    path, connection = wal_database(tmp_path)
    wal = path.with_name(path.name + "-wal")

    path.read_bytes()
    another_process_opens_and_closes(path)

    assert not wal.exists()
    connection.close()
