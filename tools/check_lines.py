"""Fail when an exported module has a line over 100 characters: `python tools/check_lines.py`.

The modules under ddpm_course/ are written by `nbdev-export` from the notebooks, which `ruff format` keeps within 100
characters (pyproject.toml); what a formatter cannot wrap (a long string, a comment, a docstring) is caught here.
nbdev's own generated lines (the module docstring's first line, which is the notebook's one-line subtitle,
`__all__ = [...]`, the `# %%` cell markers) and `_modidx.py` are not ours to wrap."""

import sys
from pathlib import Path

LIMIT = 100
ROOT = Path(__file__).resolve().parent.parent


def long_lines(path: Path) -> list:
    "(line number, length) of each line of `path` over `LIMIT` characters, nbdev's generated lines apart."
    out, in_all = [], False
    for i, line in enumerate(path.read_text(encoding='utf-8').splitlines(), 1):
        if line.startswith('__all__'):
            in_all = not line.rstrip().endswith(']')
        elif in_all:
            in_all = not line.rstrip().endswith(']')
        elif (
            len(line) > LIMIT
            and not line.startswith('# %%')
            and not (i == 1 and line.startswith('"""'))
        ):
            out.append((i, len(line)))
    return out


if __name__ == '__main__':
    bad = [
        (p, n, k)
        for p in sorted((ROOT / 'ddpm_course').glob('*.py'))
        if p.name != '_modidx.py'
        for n, k in long_lines(p)
    ]
    for p, n, k in bad:
        print(f"{p.relative_to(ROOT)}:{n}: {k} characters (at most {LIMIT})")
    print(f"check_lines: {len(bad)} line(s) over {LIMIT} characters in ddpm_course/")
    sys.exit(1 if bad else 0)
