"""framepack_engine/protocol_types.py must be what scripts/protocol_types.py makes of the schema."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from framepack_engine.protocol import PROTOCOL_DIR

ROOT = PROTOCOL_DIR.parent
GENERATOR = ROOT / "scripts" / "protocol_types.py"
COMMITTED = ROOT / "engine" / "framepack_engine" / "protocol_types.py"


def test_the_committed_protocol_types_match_the_schema(tmp_path: Path) -> None:
    fresh = tmp_path / "protocol_types.py"
    subprocess.run([sys.executable, str(GENERATOR), "--output", str(fresh)], check=True)
    assert fresh.read_text(encoding="utf-8") == COMMITTED.read_text(encoding="utf-8"), (
        "engine/framepack_engine/protocol_types.py is stale: run "
        "engine/.venv/bin/python scripts/protocol_types.py"
    )
