"""Statements of the hot paths: compiled once, run on the session's own connection.

An update of the questionnaire runs a dozen small statements. Through SQLAlchemy each
one pays for its execution machinery (the compiled cache's lookup, the execution
context, the result's wrapping, and on the async engine a greenlet switch for every
call into the driver): 0.1-0.3 ms of CPU a statement, where SQLite itself answers in a
few microseconds. A `Statement` is written as SQLAlchemy Core (so it stays portable and
typed) and, on SQLite, compiled the first time it runs: the SQL text, the order of its
parameters and the types' own converters (`bind_processor`, `result_processor`, public
API of every SQLAlchemy type) are kept, and each run is one call of the driver on the
connection of the session's transaction. On PostgreSQL it runs through Core, as before.

What it does not do, so the callers do not expect it: no Python-side column defaults
(an INSERT names every value it writes), no expanding `IN` lists, no ORM objects. Like a
Core statement on the session's connection, it flushes the session's pending changes
first (so a read sees them and a write follows them), and it does not refresh ORM
objects it changes: callers write through it only rows whose objects they keep in step.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from sqlalchemy import bindparam, insert, inspect, select, update
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient, make_transient_to_detached
from sqlalchemy.sql import Executable
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.sql.elements import ClauseElement, ColumnElement

from storage.db import DRIVER_KEY, InlineConnection, mark_written

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]
    fixed: tuple[Any, ...]  # values bound in the statement itself (None: given at run)
    given: tuple[bool, ...]  # which of `names` the caller gives
    binds: tuple[Callable[[Any], Any] | None, ...]
    results: tuple[Callable[[Any], Any] | None, ...]


_MISSING = object()


class Statement:
    """A Core statement run cheaply on the session's transaction (see the module)."""

    __slots__ = ("_compiled", "_writes", "core")

    def __init__(self, core: Executable) -> None:
        self.core = core
        self._compiled: _Compiled | None = None
        self._writes = isinstance(core, UpdateBase)  # read with `all` when RETURNING

    def _compile(self, dialect: Dialect) -> _Compiled:
        compiled = cast(ClauseElement, self.core).compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler)
        sql = compiled.string
        if "POSTCOMPILE" in sql:
            raise ValueError("a Statement cannot hold an expanding IN list")
        names = tuple(compiled.positiontup or ())
        embedded = compiled.params
        binds = compiled.binds
        fixed: list[Any] = []
        given: list[bool] = []
        processors: list[Callable[[Any], Any] | None] = []
        for name in names:
            bind = binds[name]
            value = embedded.get(name, _MISSING)
            needs_value = bind.required or value is _MISSING or bind.callable is not None
            given.append(needs_value)
            fixed.append(None if needs_value else value)
            processors.append(bind.type.dialect_impl(dialect).bind_processor(dialect))
        results: list[Callable[[Any], Any] | None] = []
        selected = getattr(self.core, "selected_columns", None)
        if selected is None:  # an INSERT, UPDATE or DELETE with RETURNING
            selected = getattr(self.core, "exported_columns", None) or ()
        for column in selected:
            if isinstance(column, ColumnElement):
                results.append(column.type.dialect_impl(dialect).result_processor(dialect, None))
            else:
                results.append(None)
        return _Compiled(sql, names, tuple(fixed), tuple(given), tuple(processors), tuple(results))

    def _parameters(self, compiled: _Compiled, params: Mapping[str, Any]) -> list[Any]:
        values = []
        for name, fixed, given, bind in zip(
            compiled.names, compiled.fixed, compiled.given, compiled.binds, strict=True
        ):
            value = params[name] if given else fixed
            values.append(value if bind is None else bind(value))
        return values

    async def _target(self, session: AsyncSession) -> tuple[_Compiled, InlineConnection] | None:
        """The statement as compiled for SQLite and the SQLite connection of the session's
        transaction; None on other databases (the statement then runs through Core).
        What the session holds unwritten is flushed first, as an ORM query would."""
        if session.sync_session.identity_map.check_modified() or session.new or session.deleted:
            await session.flush()
        info = session.info
        driver = info.get(DRIVER_KEY)
        if driver is None:
            connection = await session.connection()  # begins the transaction if none is open
            sync = connection.sync_connection
            assert sync is not None
            found = sync.connection.driver_connection
            driver = info[DRIVER_KEY] = found if isinstance(found, InlineConnection) else False
        if not isinstance(driver, InlineConnection):
            return None
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = self._compile(session.sync_session.get_bind().dialect)
        return compiled, driver

    async def _core(self, session: AsyncSession, params: Any) -> Any:
        """The statement through SQLAlchemy Core, on the session's connection."""
        connection = await session.connection()
        return await connection.execute(self.core, params)

    async def all(
        self, session: AsyncSession, params: Mapping[str, Any] | None = None
    ) -> list[Sequence[Any]]:
        """The rows of a SELECT, or of a write's RETURNING (tuples, values converted by
        the columns' types)."""
        target = await self._target(session)
        if self._writes:
            mark_written(session)
        if target is None:
            return list((await self._core(session, dict(params or {}))).all())
        compiled, driver = target
        values = self._parameters(compiled, params or {})
        try:
            rows = await driver.rows(compiled.sql, values)
        except sqlite3.Error as exc:
            raise _translated(compiled.sql, values, exc) from exc
        results = compiled.results
        if not any(results):
            return rows
        return [
            tuple(value if f is None else f(value) for f, value in zip(results, row, strict=True))
            for row in rows
        ]

    async def first(
        self, session: AsyncSession, params: Mapping[str, Any] | None = None
    ) -> Sequence[Any] | None:
        rows = await self.all(session, params)
        return rows[0] if rows else None

    async def scalar(self, session: AsyncSession, params: Mapping[str, Any] | None = None) -> Any:
        row = await self.first(session, params)
        return None if row is None else row[0]

    async def run(self, session: AsyncSession, params: Mapping[str, Any] | None = None) -> int:
        """An INSERT, UPDATE or DELETE; the number of rows it touched. The session counts
        as having written (`storage.db.has_unsaved_writes`)."""
        return await self._write(session, [params or {}])

    async def run_many(self, session: AsyncSession, rows: Sequence[Mapping[str, Any]]) -> None:
        """The same INSERT (or UPDATE) for each of `rows`."""
        if rows:
            await self._write(session, rows)

    async def _write(self, session: AsyncSession, rows: Sequence[Mapping[str, Any]]) -> int:
        target = await self._target(session)
        mark_written(session)
        if target is None:
            batch: Any = dict(rows[0]) if len(rows) == 1 else [dict(row) for row in rows]
            return int(getattr(await self._core(session, batch), "rowcount", 0) or 0)
        compiled, driver = target
        values = [self._parameters(compiled, row) for row in rows]
        try:
            return await driver.write(compiled.sql, values)
        except sqlite3.Error as exc:
            raise _translated(compiled.sql, values, exc) from exc


def _translated(sql: str, values: Any, exc: sqlite3.Error) -> Exception:
    """The driver's error as SQLAlchemy raises it (`IntegrityError` for a duplicate key,
    and so on), for callers that catch those."""
    return DBAPIError.instance(sql, values, exc, sqlite3.Error)


_UPDATES: dict[tuple[Any, tuple[str, ...]], Statement] = {}


async def store_changes(session: AsyncSession, obj: object) -> None:
    """Write the changed columns of one loaded ORM object with one UPDATE by its primary
    key (a `Statement`, one per set of columns) and mark them saved on the object, so that
    the session's next flush has nothing of it left to write. An object not yet in the
    database is flushed as usual."""
    state = inspect(obj)
    if not state.persistent:
        await session.flush()
        return
    mapper = state.mapper
    changed: dict[str, Any] = {}
    touched = set(mapper.column_attrs.keys()) - state.unmodified  # set since it was loaded
    for key in touched:
        added = state.attrs[key].history.added
        if added:
            changed[key] = added[0]
    if not changed:
        return
    keys = tuple(sorted(changed))
    statement = _UPDATES.get((mapper, keys))
    if statement is None:
        table = mapper.local_table
        (key_column,) = mapper.primary_key
        props = {key: mapper.column_attrs[key].columns[0] for key in keys}
        statement = _UPDATES[(mapper, keys)] = Statement(
            update(table)
            .where(key_column == bindparam("key_"))
            .values({column.name: bindparam(f"set_{key}") for key, column in props.items()})
        )
    (identity,) = state.identity
    _as_loaded(session, obj)
    await statement.run(
        session, {"key_": identity, **{f"set_{key}": value for key, value in changed.items()}}
    )


def _as_loaded(session: AsyncSession, obj: object) -> None:
    """The object, with the values it holds now, as loaded and unchanged: the session's
    next flush has nothing of it to write (the statement that follows writes it, and
    flushes whatever else the session holds first)."""
    session.expunge(obj)
    make_transient(obj)
    make_transient_to_detached(obj)
    session.add(obj)


def columns_of(cls: type[Any]) -> list[Any]:
    """The mapped columns of an ORM class, in the order `adopt` takes their values."""
    return [prop.columns[0] for prop in inspect(cls).column_attrs]


@dataclass(frozen=True, slots=True)
class _Adoption:
    """How `adopt` builds objects of one class: its mapper, the attribute keys in
    `columns_of` order, and where the primary key's values are among them."""

    mapper: Any
    keys: tuple[str, ...]
    key_at: tuple[int, ...]


_ADOPTIONS: dict[type[Any], _Adoption] = {}


def _adoption(cls: type[Any]) -> _Adoption:
    found = _ADOPTIONS.get(cls)
    if found is None:
        mapper = inspect(cls)
        keys = tuple(prop.key for prop in mapper.column_attrs)
        key_at = tuple(
            keys.index(mapper.get_property_by_column(column).key) for column in mapper.primary_key
        )
        found = _ADOPTIONS[cls] = _Adoption(mapper, keys, key_at)
    return found


def adopt(session: AsyncSession, cls: type[_T], values: Sequence[Any]) -> _T:
    """The ORM object of a row read by a `Statement` (`values` in `columns_of(cls)`
    order), as the session's own: the one it holds already, else a new one added as
    loaded and unchanged (an ORM query builds the same object at several times the cost).
    Like the ORM's own loading, the values go into the object's state without attribute
    events (`InstanceState.dict`), so nothing of them counts as a change."""
    plan = _adoption(cls)
    if len(values) != len(plan.keys):
        raise ValueError(f"{cls.__name__}: {len(values)} values for {len(plan.keys)} columns")
    key = plan.mapper.identity_key_from_primary_key([values[at] for at in plan.key_at])
    held = session.sync_session.identity_map.get(key)
    if held is not None:
        return cast(_T, held)
    obj = cls()
    inspect(obj).dict.update(zip(plan.keys, values, strict=True))
    make_transient_to_detached(obj)
    session.add(obj)
    return obj


class Objects(Generic[_T]):
    """A SELECT of whole rows of one ORM class, given as the session's objects (`adopt`):
    `Objects(Participant, Participant.person_id == bindparam("person_id"))`."""

    __slots__ = ("cls", "statement")

    def __init__(self, cls: type[_T], *criteria: ColumnElement[bool]) -> None:
        self.cls = cls
        self.statement = Statement(select(*columns_of(cls)).where(*criteria))

    async def all(self, session: AsyncSession, params: Mapping[str, Any] | None = None) -> list[_T]:
        rows = await self.statement.all(session, params)
        return [adopt(session, self.cls, row) for row in rows]

    async def first(
        self, session: AsyncSession, params: Mapping[str, Any] | None = None
    ) -> _T | None:
        row = await self.statement.first(session, params)
        return None if row is None else adopt(session, self.cls, row)


_GETS: dict[Any, Objects[Any]] = {}


async def get(session: AsyncSession, cls: type[_T], ident: Any) -> _T | None:
    """`session.get()` by a single primary key: an object the session holds already is
    returned at once, else the row is read by a compiled statement and adopted (`adopt`).
    An object the session holds expired is refreshed by the ORM, as `session.get` does."""
    mapper = inspect(cls)
    key = mapper.identity_key_from_primary_key([ident])
    held = session.sync_session.identity_map.get(key)
    if held is not None:
        if not inspect(held).expired:
            return cast(_T, held)
        return await session.get(cls, ident)
    if ident is None:
        return None
    by_key = _GETS.get(mapper)
    if by_key is None:
        (key_column,) = mapper.primary_key
        by_key = _GETS[mapper] = Objects(cls, key_column == bindparam("ident_"))
    return cast(_T | None, await by_key.first(session, {"ident_": ident}))


@dataclass(frozen=True, slots=True)
class _Insert:
    """How `save_new` writes objects of one class: the INSERT with the key given and the
    one that lets the database number the row, and each column's Python default."""

    keys: tuple[str, ...]  # attribute keys of the columns, the key's own left out
    defaults: tuple[Callable[[], Any] | None, ...]
    key: str  # the attribute of the primary key
    numbered: Statement  # without the key, RETURNING it
    keyed: Statement  # with the key


_INSERTS: dict[Any, _Insert | None] = {}


def _constant(value: Any) -> Callable[[], Any]:
    return lambda: value


def _called(function: Callable[[Any], Any]) -> Callable[[], Any]:
    # SQLAlchemy keeps a column's callable default as a function of the execution
    # context; the models' defaults take none (`now`, `list`, `dict`).
    return lambda: function(None)


def _insert_plan(mapper: Any) -> _Insert | None:
    """The plan for objects of `mapper`, or None when the ORM's flush must write them
    (inheritance, a composite key, a default computed by the database or by SQL)."""
    if mapper in _INSERTS:
        return _INSERTS[mapper]
    plan: _Insert | None = None
    if mapper.inherits is None and len(mapper.primary_key) == 1:
        (key_column,) = mapper.primary_key
        keys: list[str] = []
        defaults: list[Callable[[], Any] | None] = []
        columns: dict[str, Any] = {}
        key_attr = ""
        usable = True
        for prop in mapper.column_attrs:
            column = prop.columns[0]
            if column.server_default is not None:
                usable = False
            if column is key_column:
                key_attr = prop.key
                continue
            default = column.default
            if default is None:
                defaults.append(None)
            elif default.is_scalar:
                defaults.append(_constant(default.arg))
            elif default.is_callable:
                defaults.append(_called(default.arg))
            else:
                usable = False
            keys.append(prop.key)
            columns[column.name] = bindparam(f"v_{prop.key}")
        if usable and key_attr:
            table = mapper.local_table
            plan = _Insert(
                keys=tuple(keys),
                defaults=tuple(defaults),
                key=key_attr,
                numbered=Statement(insert(table).values(columns).returning(key_column)),
                keyed=Statement(
                    insert(table).values({**columns, key_column.name: bindparam("v_key_")})
                ),
            )
    _INSERTS[mapper] = plan
    return plan


async def save_new(session: AsyncSession, obj: object) -> None:
    """Write a new ORM object with one INSERT (a `Statement`) and keep it in the session
    as loaded and unchanged, its key and its columns' Python defaults filled in, as
    `session.add(obj)` and a flush would leave it. An object whose relationships were set
    (their keys are the flush's to fill in), or of a class `_insert_plan` leaves to the
    ORM, is added and flushed as usual."""
    state = inspect(obj)
    plan = _insert_plan(state.mapper)
    if (
        plan is None
        or not state.transient
        or any(rel.key in state.dict for rel in state.mapper.relationships)
    ):
        session.add(obj)
        await session.flush()
        return
    known = state.dict
    values: dict[str, Any] = {}
    for key, default in zip(plan.keys, plan.defaults, strict=True):
        value = known.get(key)
        if value is None and default is not None:
            value = default()
        setattr(obj, key, value)
        values[f"v_{key}"] = value
    ident = known.get(plan.key)
    if ident is None:
        ident = await plan.numbered.scalar(session, values)
        setattr(obj, plan.key, ident)
    else:
        await plan.keyed.run(session, {**values, "v_key_": ident})
    make_transient_to_detached(obj)
    session.add(obj)
