"""Fast raw inserts for the generator: large multi-row batches on SQLite, COPY on PostgreSQL."""

from django.core.management.color import no_style
from django.db import connection
from django.db.models import NOT_PROVIDED

BATCH = 20_000


def inserter(model, given):
    """A function that stores rows (tuples of `given` columns); other columns get their default."""
    # Not generated columns: the database computes those (the search documents).
    fields = [
        f
        for f in model._meta.concrete_fields
        if not f.generated and not (f.primary_key and f.attname not in given)
    ]
    constants = {}
    for field in fields:
        if field.attname in given:
            continue
        if field.default is not NOT_PROVIDED:
            value = field.get_db_prep_save(field.get_default(), connection)
        elif field.null:
            value = None
        else:
            value = ""
        constants[field.attname] = value
    columns = [f.column for f in fields]
    order = [
        (given.index(f.attname) if f.attname in given else None, constants.get(f.attname)) for f in fields
    ]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)

    def full(row):
        return tuple(row[i] if i is not None else constant for i, constant in order)

    if connection.vendor == "postgresql":

        def store(rows):
            with (
                connection.cursor() as cursor,
                cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(full(row))

    else:
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608 - our own table and column names

        def store(rows):
            batch = []
            with connection.cursor() as cursor:
                for row in rows:
                    batch.append(full(row))
                    if len(batch) >= BATCH:
                        cursor.executemany(sql, batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)

    return store


def ts(moment):
    """A datetime as the database takes it in a raw insert."""
    return connection.ops.adapt_datetimefield_value(moment)


def reset_sequences(*models):
    """PostgreSQL's id sequences after rows were stored with their ids."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
