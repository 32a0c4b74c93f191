"""What can be checked of the image without a Docker engine: its runtime dependencies resolve to
hash-checked wheels (no compiler) for both platforms the task may run on, on the base image's
Python, and the Dockerfile copies every module the server imports.

Offline: `npm run setup` downloads those wheels once (scripts/setup.sh, .venv/image-wheels); the
test resolves requirements.txt against them with no package index, checking every hash again."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from local import APP_DIR

DOCKERFILE = (APP_DIR / "Dockerfile").read_text()


def base_python() -> str:
    """The Python version of the Dockerfile's base image, e.g. 3.12."""
    versions = set(re.findall(r"^FROM python:(\d+\.\d+)\.\d+-slim", DOCKERFILE, re.MULTILINE))
    assert len(versions) == 1, f"both stages use one pinned Python: {versions}"
    return versions.pop()


IMAGE_WHEELS = APP_DIR.parent / ".venv" / "image-wheels"


@pytest.mark.parametrize("arch", ["x86_64", "aarch64"])
def test_runtime_dependencies_are_hash_checked_wheels_for_both_architectures(arch, tmp_path: Path):
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--only-binary=:all:"]
    command += ["--no-index", "--find-links", str(IMAGE_WHEELS)]
    # The base image is Debian bookworm (glibc 2.36): manylinux_2_28 wheels (gevent's) run on it too.
    command += ["--platform", f"manylinux2014_{arch}", "--platform", f"manylinux_2_28_{arch}"]
    command += ["--python-version", base_python(), "--implementation", "cp"]
    command += ["--require-hashes", "-r", str(APP_DIR / "requirements.txt"), "-d", str(tmp_path)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, (
        f"{result.stderr}\nThe wheels in {IMAGE_WHEELS} do not satisfy requirements.txt for {arch}: "
        "after changing requirements.txt or the Dockerfile's Python, run `npm run setup` again (it downloads them)."
    )
    pinned = {line.split("==")[0] for line in (APP_DIR / "requirements.txt").read_text().splitlines() if "==" in line}
    assert len(list(tmp_path.glob("*.whl"))) == len(pinned)


def test_the_image_holds_every_module_the_server_imports():
    copied = set(re.search(r"^COPY (?!--from)(.+) \./$", DOCKERFILE, re.MULTILINE).group(1).split())
    local_modules = {p.stem for p in APP_DIR.glob("*.py")}
    needed = {"app.py", "gunicorn.conf.py", "healthcheck.py"}
    # gunicorn loads its worker class by name, not by import.
    needed |= {f"{m}.py" for m in re.findall(r'^worker_class = "(\w+)\.\w+"', (APP_DIR / "gunicorn.conf.py").read_text(), re.MULTILINE)}
    queue = list(needed)
    while queue:
        tree = ast.parse((APP_DIR / queue.pop()).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module]
            else:
                continue
            for name in names:
                if name in local_modules and f"{name}.py" not in needed:
                    needed.add(f"{name}.py")
                    queue.append(f"{name}.py")
    assert needed <= copied, f"missing from the image: {needed - copied}"
    assert "local.py" not in copied, "the local runner stays out of the image"
