"""Fail when a chapter breaks a teaching rule of the course: `python tools/check_chapters.py`.

The rules (issue 26), read off the saved notebooks:
- core chapters (00–06) show their first picture within their first `FIRST_PICTURE` cells, and their teaching code
  cells (not `#| export`) are at most `CELL_LINES` lines;
- every chapter states how long it runs ("Runs in about N minutes on a 2-core CPU …");
- a core chapter imports nothing from a later chapter's module (`ALLOWED_LATER` names what is taught as a tool);
- chapters 01–05 have at least two exercises and chapter 08 one: a markdown heading `### Exercise …` followed by a
  cell that calls `check('<name>', …)` with a name the exercise module knows."""

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NBS = ROOT / 'nbs'
CORE = ('00_', '01_', '02_', '03_', '04_', '05_', '06_')
EXERCISES = {'01_': 2, '02_': 2, '03_': 2, '04_': 2, '05_': 2, '08_': 1}
FIRST_PICTURE, CELL_LINES = 10, 40
RUNTIME = re.compile(r'[Rr]uns in about [\d.,]+ (?:minutes?|seconds?) on a 2-core CPU')
# later modules a core chapter may use, and what for: the exercise checks, and the shipped model's loader
ALLOWED_LATER = {'exercises': None, 'pipeline': {'load_pretrained'}}
IMPORT = re.compile(r'^\s*from ddpm_course(?:\.(\w+))? import (\([^)]*\)|[^\n]*)', re.M)


def source(cell) -> str:
    return ''.join(cell['source'])


def chapter_of_modules() -> dict:
    "Module name → the notebook (file name) that exports it."
    out = {}
    for nb in sorted(NBS.glob('*.ipynb')):
        for cell in json.loads(nb.read_text(encoding='utf-8'))['cells']:
            m = re.search(r'^#\|\s*default_exp\s+(\S+)', source(cell), re.M)
            if m:
                out[m.group(1)] = nb.name
    return out


def has_picture(cell) -> bool:
    return any(
        'image/png' in o.get('data', {})
        or 'image/gif' in o.get('data', {})
        or 'image/svg+xml' in o.get('data', {})
        or '<img' in ''.join(o.get('data', {}).get('text/html', ''))
        for o in cell.get('outputs', [])
    )


def exercise_names() -> set:
    sys.path.insert(0, str(ROOT))
    try:
        from ddpm_course.exercises import solutions
    except ImportError:
        return set()
    return set(solutions)


def problems(nb: Path, modules: dict, names: set) -> list:
    cells = json.loads(nb.read_text(encoding='utf-8'))['cells']
    out, prefix = [], nb.name[:3]
    text = '\n'.join(source(c) for c in cells)
    if not RUNTIME.search(text):
        out.append('no runtime line ("Runs in about N minutes on a 2-core CPU; …")')
    if prefix in CORE:
        first = next((i for i, c in enumerate(cells) if has_picture(c)), None)
        if first is None or first >= FIRST_PICTURE:
            out.append(f"first picture at cell {first} (want one within the first {FIRST_PICTURE})")
        for i, c in enumerate(cells):
            s = source(c)
            if c['cell_type'] != 'code' or s.lstrip().startswith('#| export'):
                continue
            if len(s.splitlines()) > CELL_LINES:
                out.append(
                    f"cell {i}: {len(s.splitlines())} lines (teaching cells: at most {CELL_LINES})"
                )
            for m in IMPORT.finditer(s):
                module = m.group(1)
                listed = re.sub(r'#[^\n]*', '', m.group(2)).strip('()')
                imported = {w.split(' as ')[0].strip() for w in listed.split(',') if w.strip()}
                home = modules.get(module or '')
                if home is None or home[:2] <= prefix[:2]:  # appendices of the same number are fine
                    continue
                allowed = ALLOWED_LATER.get(module, set())
                if allowed is not None and not imported <= allowed:
                    out.append(
                        f"cell {i}: imports {sorted(imported - allowed)} from {module} ({home}, a later chapter)"
                    )
    if prefix in EXERCISES:
        found = 0
        for i, c in enumerate(cells):
            if c['cell_type'] == 'markdown' and source(c).lstrip().startswith('### Exercise'):
                after = '\n'.join(
                    source(d) for d in cells[i + 1 : i + 4] if d['cell_type'] == 'code'
                )
                m = re.search(r"\bcheck\(\s*['\"](\w+)['\"]", after)
                if not m:
                    out.append(f"cell {i}: an exercise without a check('<name>', …) cell after it")
                elif names and m.group(1) not in names:
                    out.append(
                        f"cell {i}: check({m.group(1)!r}) is not an exercise the module knows"
                    )
                else:
                    found += 1
        if found < EXERCISES[prefix]:
            out.append(f"{found} checked exercises (want at least {EXERCISES[prefix]})")
    return out


if __name__ == '__main__':
    modules, names = chapter_of_modules(), exercise_names()
    bad = 0
    for nb in sorted(NBS.glob('[0-9]*.ipynb')):
        for p in problems(nb, modules, names):
            print(f"nbs/{nb.name}: {p}")
            bad += 1
    print(f"{bad} problems" if bad else "chapters keep the course's teaching rules")
    sys.exit(1 if bad else 0)
