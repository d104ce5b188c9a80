"""Storage: SQLAlchemy models, the engine, repositories, migrations and the SQL FSM storage."""
