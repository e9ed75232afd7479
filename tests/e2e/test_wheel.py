"""`pip install .` (not only an editable install) ships the checklists and works."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from conftest import EXAMPLE, REPO


@pytest.mark.slow
def test_wheel_installs_into_a_fresh_venv_and_audits_the_example(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist),
         str(REPO)],
        check=True, capture_output=True, cwd=tmp_path,
    )
    wheels = list(dist.glob("auditor-*.whl"))
    assert len(wheels) == 1
    # The runtime dependencies come from the machine's site-packages; the package itself is
    # the wheel's copy, installed without dependencies into the venv's own site-packages.
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    # Dependencies: the running environment's site-packages, appended after the venv's own
    # (a .pth file), so this works whether the tests run in a venv or the system Python.
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    here = [p for p in sys.path if p.endswith("site-packages")]
    (Path(purelib) / "outer-env.pth").write_text("\n".join(here) + "\n", encoding="utf-8")
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-deps", "--ignore-installed",
                    str(wheels[0])], check=True, capture_output=True)
    work = tmp_path / "elsewhere"  # not the checkout: nothing may come from the source tree
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    location = subprocess.run(
        [python, "-c", "import auditor, auditor.resources as r; "
         "print(auditor.__file__); print(r.shipped_dir('checklists'))"],
        check=True, capture_output=True, text=True, cwd=work, env=env,
    ).stdout.split()
    assert all(str(env_dir) in path for path in location), location
    result = subprocess.run(
        [env_dir / "bin" / "auditor", "audit", str(EXAMPLE), "--json", "out.json",
         "--as-of", "2026-11-24", "--quiet"],
        capture_output=True, text=True, cwd=work, env=env, check=False,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads((work / "out.json").read_text(encoding="utf-8"))
    assert data["schema_version"] == "2.2"
    assert len(data["systems"]) >= 15
    assert any(i["kind"] == "checklist" and "_shipped" in i["path"] for i in data["run"]["inputs"])
