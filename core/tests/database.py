"""A database that cannot be reached, for real: a connection whose every attempt to connect fails
(SQLite: a file in a folder that does not exist; PostgreSQL: a port nothing listens on). Requests
really try to connect and really fail: nothing stands in for the database's answer."""

import socket
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections
from django.test.testcases import QuietWSGIRequestHandler


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # free again once closed: nothing listens there


def dead_settings(real):
    """`real`'s connection settings, pointed where no database answers."""
    if real.vendor == "sqlite":
        return {**real.settings_dict, "NAME": "/nonexistent-newsroom-folder/down.sqlite3"}
    return {**real.settings_dict, "HOST": "127.0.0.1", "PORT": str(closed_port())}


@contextmanager
def database_down(alias=DEFAULT_DB_ALIAS):
    """This thread's requests (the test client's) meet a database that cannot be reached."""
    real = connections[alias]
    dead = real.__class__(dead_settings(real), alias)
    connections[alias] = dead
    try:
        yield
    finally:
        dead.close()
        connections[alias] = real


class _OneRequestPerConnection(QuietWSGIRequestHandler):
    def handle(self):
        self.handle_one_request()  # then socketserver closes the connection


@contextmanager
def one_request_per_connection(live_server):
    """The live server closes each connection after one answer. It serves every connection in a
    thread of its own, which keeps its database connection (an in-memory SQLite one is never
    closed): without this, a browser's kept-alive connection would never meet the outage."""
    httpd = live_server.thread.httpd
    handler, httpd.RequestHandlerClass = httpd.RequestHandlerClass, _OneRequestPerConnection
    try:
        yield
    finally:
        httpd.RequestHandlerClass = handler


@contextmanager
def live_server_database_down(alias=DEFAULT_DB_ALIAS):
    """Connections made meanwhile, in any thread (the live server's), fail: every thread's
    connection reads this one settings dict when it connects. Pair with one_request_per_connection
    (SQLite keeps its connections open); the PostgreSQL connections of the live server close after
    each request anyway (CONN_MAX_AGE is 0 under DEBUG's defaults)."""
    settings_dict = connections[alias].settings_dict
    kept = dict(settings_dict)
    settings_dict.update(dead_settings(connections[alias]))
    try:
        yield
    finally:
        settings_dict.update(kept)
