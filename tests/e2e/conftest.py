"""Checks that hold for every end-to-end test that talks to the emulator."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _no_deprecated_parameters(request: pytest.FixtureRequest) -> Iterator[None]:
    """The bot never uses a parameter the Bot API replaced (the emulator counts them),
    e.g. `disable_web_page_preview` instead of `link_preview_options`."""
    yield
    emulator = request.node.funcargs.get("emulator")
    if emulator is not None:
        assert dict(emulator.stats.deprecated_params) == {}, "deprecated Bot API parameters"
