"""CONTRIBUTING.md stays true: its example lesson, built in a copy of the app from the
page's own code blocks (five new files and one line in the lesson list), shows up and
passes its own tests."""
import pathlib
import re
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
COPIED = ["app.py", "pyproject.toml", ".streamlit", "pages", "ui", "explainers", "optim",
          "classroom", "assets", "tests/__init__.py", "tests/apptest.py"]


def blocks() -> tuple[str, dict[str, str]]:
    """The line for the lesson list, and the new files by path."""
    heading, paragraphs = r"^###[^\n]*?(?:`([\w./-]+)`)?\n\n", r"(?:(?:[^`\n][^\n]*\n)+\n)*"
    found = re.findall(heading + paragraphs + r"```\w+\n(.*?)```", GUIDE, flags=re.M | re.S)
    line = next(code for path, code in found if not path)
    return line, {path: code for path, code in found if path}


def test_the_example_lesson_is_five_new_files_and_one_line(tmp_path):
    line, files = blocks()
    assert sorted(files) == ["explainers/first_steps.py", "explainers/text/first_steps.md",
                             "explainers/text/first_steps.toml", "pages/first-steps.py",
                             "tests/test_first_steps.py"]
    for name in COPIED:
        source, target = ROOT / name, tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, target)
    lessons = tmp_path / "explainers" / "lessons.py"
    text = lessons.read_text(encoding="utf-8")
    assert "\n)\nPLAYGROUND" in text
    end = "\n)\nPLAYGROUND"
    lessons.write_text(text.replace(end, "\n" + line.rstrip("\n") + end))
    for path, code in files.items():
        assert not (tmp_path / path).exists(), f"{path} must be new"
        (tmp_path / path).write_text(code, encoding="utf-8")

    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             "tests/test_first_steps.py"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "3 passed" in result.stdout
