"""Check the Dockerfile without Docker: build its image's file tree and environment
by hand, start the app as its CMD does, and open every page in headless Chromium.

    python scripts/dockerfile_smoke.py [--keep DIR]

Reads the Dockerfile itself: every ``COPY`` is copied into a fresh folder, every
``RUN pip ...`` runs in a fresh virtual environment there, and ``streamlit run app.py``
(the ``CMD``) starts there on a free local port. What it cannot check is the base
image (``FROM``) or the container's network options; what it does check is that the
image holds every file the app needs and that the pinned requirements install and run.
"""
import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import venv

ROOT = pathlib.Path(__file__).resolve().parents[1]
PLAYGROUND = "own-landscape"
sys.path.insert(0, str(ROOT))

from explainers.lessons import LESSONS  # noqa: E402
from tests.browser.server import chromium, learner, streamlit_process, wait_until_idle  # noqa: E402


def instructions() -> list[tuple[str, str]]:
    """The Dockerfile's instructions as (keyword, argument), continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, argument = line.partition(" ")
            out.append((keyword.upper(), argument.strip()))
    return out


def build(folder: pathlib.Path) -> pathlib.Path:
    """Copy what the image copies, install what it installs; return the venv's python."""
    env_dir = folder / ".venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    for keyword, argument in instructions():
        if keyword == "COPY":
            *sources, target = argument.split()
            for source in sources:
                src, dest = ROOT / source, folder / target
                if src.is_dir():
                    shutil.copytree(src, dest if target != "./" else folder / source,
                                    dirs_exist_ok=True)
                else:
                    shutil.copy(src, dest if not target.endswith("/") else dest / src.name)
        elif keyword == "RUN":
            command = argument.split()
            assert command[0] == "pip", f"only pip RUN steps are mirrored: {argument}"
            subprocess.run([str(python), "-m", *command], cwd=folder, check=True)
    return python


def walk(url: str) -> None:
    """Open every page; fail on an exception box or a page without its title."""
    with chromium() as browser:
        page = learner(browser, viewport={"width": 1280, "height": 800}).new_page()
        page.goto(url)
        wait_until_idle(page, revealed=True)
        pages = [(lesson.url_path, f"{lesson.number}. {lesson.title}")
                 for lesson in LESSONS if lesson.built] + [(PLAYGROUND, "Playground")]
        for path, title in pages:
            page.goto(f"{url}/{path}")
            wait_until_idle(page, revealed=True)
            heading = page.locator('[data-testid="stMainBlockContainer"] h1').first.inner_text()
            assert heading.strip().startswith(title), heading
            assert page.locator('[data-testid="stException"]').count() == 0, path
            print(f"  ok  /{path}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", help="build in this folder and keep it")
    args = parser.parse_args()
    folder = pathlib.Path(args.keep or tempfile.mkdtemp(prefix="adam-image-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        python = build(folder)
        cmd = json.loads(dict(instructions())["CMD"])
        assert cmd[:3] == ["streamlit", "run", "app.py"], cmd
        print("built", folder, "; the image's CMD:", " ".join(cmd))
        with streamlit_process(cwd=folder, python=str(python), timeout=120) as (url, _):
            walk(url)
        print("the Dockerfile's files and requirements serve every page")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    main()
