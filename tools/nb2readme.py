"""Write README.md from nbs/index.ipynb (what `nbdev-readme` does, without Quarto).

Markdown cells are copied, code cells become fenced blocks with their text output, cells marked `#| hide` are left out,
and relative links (`images/`, `00_data.ipynb`, `benchmarks.md`) are pointed into `nbs/`. `--check` fails if README.md is not what this would write."""

import json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = "<!-- Generated from nbs/index.ipynb by tools/nb2readme.py: edit the notebook, then run `python tools/nb2readme.py`. -->\n\n"


def nbs_links(md: str) -> str:
    "Links relative to nbs/ (`images/x.png`, `00_data.ipynb`, `benchmarks.md#x`) made relative to the repository root."
    return re.sub(r'\]\((?:\./)?((?:images/|[\w.-]+\.(?:ipynb|md)\b)[^)]*)\)', r'](nbs/\1)', md)


def directives(src):
    return {m.group(1) for m in re.finditer(r'^#\|\s*([\w-]+)', src, re.M)}


def render(nb_path=ROOT / 'nbs' / 'index.ipynb'):
    nb = json.loads(Path(nb_path).read_text())
    parts = []
    for cell in nb['cells']:
        src = ''.join(cell['source'])
        if 'hide' in directives(src):
            continue
        if cell['cell_type'] == 'markdown':
            parts.append(nbs_links(src))
        elif cell['cell_type'] == 'code':
            code = '\n'.join(l for l in src.splitlines() if not l.startswith('#|')).strip()
            if 'echo: false' in src.replace('#| ', '') or not code:
                code = ''
            if code:
                parts.append(f"```python\n{code}\n```")
            text = ''.join(
                ''.join(o.get('text', ''))
                if o['output_type'] == 'stream'
                else ''.join(o.get('data', {}).get('text/plain', ''))
                for o in cell.get('outputs', [])
                if o['output_type'] in ('stream', 'execute_result')
            )
            if text.strip():
                parts.append(f"```\n{text.rstrip()}\n```")
    return HEADER + '\n\n'.join(parts) + '\n'


if __name__ == '__main__':
    text, readme = render(), ROOT / 'README.md'
    if '--check' in sys.argv:
        if not readme.exists() or readme.read_text() != text:
            sys.exit(
                "FAIL: README.md is out of sync with nbs/index.ipynb; run `python tools/nb2readme.py`"
            )
        print("README.md is in sync with nbs/index.ipynb")
    else:
        readme.write_text(text)
        print(f"wrote {readme}")
