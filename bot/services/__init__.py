"""The programme's logic. Nothing here imports aiogram: services take plain data and a session."""
