"""Build the documentation site into _docs/, offline: `python tools/build_docs.py` (or `make docs`).

1. nbdev's `proc_nbs` writes `_proc/`: the notebooks with nbdev's directives applied, `show_doc`
   rendered into the API reference, and backticked names turned into links to their entries
   (`https://<doc_host>/sampling.html#dpm_sample`).
2. Each processed notebook is staged in build/docs_src/ under the page name nbdev gives it
   (`04_sampling.ipynb` → `sampling.ipynb`, so `sampling.html`, the name nbdev's links use), ready
   for a renderer that knows no nbdev: the frontmatter becomes the title, `show_doc` output becomes
   Markdown (with its Pandoc `{target=...}` attributes turned into HTML), exported source is shown
   folded under its API entry (`<details>`), `#| echo/output/include: false` and `code-fold` are
   applied, links to notebooks (`00_data.ipynb`) and nbdev's absolute API links become links between
   pages, and saved widget state is dropped (it needs a kernel).
3. MkDocs with the Material theme and mkdocs-jupyter (mkdocs.yml) renders the pages, with navigation
   in course order, a table of contents per page and full-text search.
4. MathJax (Debian's libjs-mathjax) and the animation player's icons (fonts-font-awesome) are copied
   into the site; a page that still loads anything from another host fails the build, and so does an
   API link to a name with no entry.

If the browser demo is built (demo/dist/live.js, by tools/build_demo.py; `make docs` runs it first),
it is copied to `<site>/demo/` and every page loads `demo/live.js` as a JavaScript module. Users
with Quarto can still run `nbdev-docs` on the same notebooks (nbs/_quarto.yml).

What a reader gets beyond the rendering (issue 29): a menu shaped like the course (the chapters the
home page's course table links, numbered, under "Course"; other notebooks under "Library reference";
Markdown pages under "Project"), a "download this notebook" link on each notebook page, API entries
like nbdev's (`class` for classes, a parameter table from the docments), alt text on every figure
(its caption: the Markdown just above it, or `#| fig-alt`/`fig-cap`), links to the published address
made relative, a search index without "¶", "Copied!" or raw LaTeX, a table of contents without empty
or repeated entries, a 404 page that works wherever the site is served, and the version in the
footer."""

import html, json, os, re, shutil, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / 'build' / 'docs_src'  # mkdocs.yml: docs_dir
OUT = ROOT / '_docs'  # mkdocs.yml: site_dir
MATHJAX = Path('/usr/share/javascript/mathjax')
FONT_AWESOME = Path('/usr/share/fonts-font-awesome')  # icons of matplotlib's animation player
# the browser demo (tools/build_demo.py), if built
DEMO = Path(os.environ.get('DDPM_DEMO_DIST', ROOT / 'demo' / 'dist'))
DOC_HOST = 'https://ddpm-course.github.io/ddpm_course/'
REPO = 'https://github.com/ddpm-course/ddpm_course'
# mkdocs.yml: custom_dir (written here: the repository link)
THEME = ROOT / 'build' / 'docs_theme'
# Sentences of a chapter that describe the notebook rather than the page they appear on: replaced on
# the site only, until the chapter says it itself (a pair whose old text is no longer found is
# reported, and can be deleted).
SITE_WORDING = {}  # stem → [(old, new)]; the chapters now say it themselves


# -- 1. Staging the processed notebooks --------------------------------------------------------------------------------


def frontmatter(nb) -> dict:
    "The YAML frontmatter nbdev puts in a raw cell (title, description, output-file), or {}."
    import yaml

    for c in nb.cells:
        if c.cell_type == 'raw' and c.source.lstrip().startswith('---'):
            return yaml.safe_load(c.source.strip().strip('-')) or {}
    return {}


def page_name(nb, path: Path) -> str:
    """The page a notebook becomes: nbdev's `output-file` (`sampling.html`), else the notebook's
    name."""
    return Path(frontmatter(nb).get('output-file') or path.stem + '.html').stem


def course_order(proc: Path) -> list:
    "The processed notebooks in course order: the home page first, then the chapters by number."
    nbs = sorted(p for p in proc.glob('*.ipynb') if not p.name.startswith('_'))
    return sorted(nbs, key=lambda p: (p.stem != 'index', p.stem))


def directives(src: str) -> dict:
    "Quarto/nbdev `#| key: value` lines of a code cell."
    return {
        m.group(1): (m.group(2) or '').strip().strip('"\'')
        for m in re.finditer(r'^#\|\s*([\w-]+)\s*:?\s*(.*)$', src, re.M)
    }


def strip_directives(src: str) -> str:
    return '\n'.join(l for l in src.splitlines() if not l.startswith('#|')).strip()


def pandoc_attrs(md: str) -> str:
    """Pandoc link attributes (`[source](url){target=\"_blank\" style=\"...\"}`) as HTML links;
    other `{...}` blocks dropped."""

    def link(m):
        text, url, attrs = m.group(1), m.group(2), m.group(3)
        cls = ' class="source-link"' if text == 'source' else ''
        target = ' target="_blank" rel="noopener"' if 'target=' in attrs else ''
        return f'<a href="{html.escape(url)}"{cls}{target}>{text}</a>'

    md = re.sub(r'\[([^\]]*)\]\(([^)\s]*)\)\{([^}]*)\}', link, md)
    return re.sub(r'(?<=\S)\{(?:[.#][\w-]+\s*|[\w-]+="[^"]*"\s*)+\}', '', md)


def local_links(md: str, pages: dict, markdown_page: bool = False) -> str:
    """Links to notebooks (`00_data.ipynb#x`, `nbs/00_data.ipynb`), to Markdown pages
    (`benchmarks.md`) and nbdev's absolute API links, as links between pages. In a Markdown page
    they point at the staged files, which MkDocs resolves."""
    md = md.replace(DOC_HOST, '')
    if markdown_page:
        return re.sub(
            r'(\]\()(?:\./)?([\w.-]+)\.ipynb',
            lambda m: f'{m.group(1)}{pages.get(m.group(2), m.group(2))}.ipynb',
            md,
        )

    def nb_link(m):
        stem = m.group(2)
        return f'{m.group(1)}{pages[stem]}.html' if stem in pages else m.group(0)

    md = re.sub(r'(\]\(|href=")(?:\./)?(?:nbs/)?([\w.-]+)\.ipynb', nb_link, md)
    return re.sub(
        r'(\]\(|href=")(?:\./)?(?:nbs/)?([\w.-]+)\.md\b',
        lambda m: (
            f'{m.group(1)}{m.group(2)}.html'
            if (ROOT / 'nbs' / f'{m.group(2)}.md').exists()
            else m.group(0)
        ),
        md,
    )


def site_links(text: str) -> str:
    """Links to the published site (`https://ddpm-course.github.io/ddpm_course/page.html#x`) made
    relative: `page.html#x`."""
    host = DOC_HOST.split('://', 1)[1]
    return re.sub(r'https?://' + re.escape(host), '', text)


def course_table(index_nb) -> list:
    """The chapters the home page's course table links, in its order: [(number, title, notebook
    stem)]."""
    rows = []
    for c in index_nb.cells:
        if c.cell_type != 'markdown':
            continue
        row = r'^\|\s*(\d\d[a-z]?)\s*\|\s*\[([^\]]+)\]\((?:nbs/)?([\w.-]+)\.ipynb[^)]*\)'
        for m in re.finditer(row, c.source, re.M):
            rows.append((m.group(1), m.group(2), m.group(3)))
    return rows


def demo_ids(md: str) -> str:
    """Give each live demo mount point an id (`live-sampling`), so that a link can land on the demo
    itself."""
    return re.sub(
        r'<div class="ddpm-live" data-demo="(\w+)"(?![^>]*\sid=)',
        r'<div class="ddpm-live" data-demo="\1" id="live-\1"',
        md,
    )


def plain_text(md: str, limit: int = 240) -> str:
    """Markdown (a caption) as one line of plain text: no links, code marks, emphasis or TeX
    commands."""
    t = re.sub(r'!?\[([^\]]*)\]\([^)]*\)', r'\1', md)
    t = tex_text(re.sub(r'<[^>]+>', '', t)).replace('`', '').replace('*', '').replace('#', '')
    t = ' '.join(t.split()).rstrip(':')
    return t if len(t) <= limit else t[: limit - 1].rsplit(' ', 1)[0] + '…'


TEX = {
    'alpha': 'α',
    'beta': 'β',
    'gamma': 'γ',
    'delta': 'δ',
    'epsilon': 'ε',
    'varepsilon': 'ε',
    'theta': 'θ',
    'lambda': 'λ',
    'mu': 'μ',
    'sigma': 'σ',
    'Sigma': 'Σ',
    'pi': 'π',
    'tau': 'τ',
    'phi': 'φ',
    'omega': 'ω',
    'cdot': '·',
    'times': '×',
    'approx': '≈',
    'le': '≤',
    'leq': '≤',
    'ge': '≥',
    'geq': '≥',
    'ne': '≠',
    'neq': '≠',
    'in': '∈',
    'sim': '~',
    'to': '→',
    'rightarrow': '→',
    'infty': '∞',
    'sum': 'Σ',
    'prod': '∏',
    'sqrt': '√',
    'mid': '|',
    'ldots': '…',
    'dots': '…',
    'cdots': '…',
    'quad': ' ',
    'qquad': ' ',
    'log': 'log',
    'exp': 'exp',
    'min': 'min',
    'max': 'max',
    'mathcal': '',
    'mathbf': '',
    'mathrm': '',
    'text': '',
    'operatorname': '',
    'left': '',
    'right': '',
    'big': '',
    'Big': '',
    'bar': '',
    'hat': '',
    'tilde': '',
}


def tex_text(text: str) -> str:
    """TeX between `$` signs as readable text (`$\\bar\\alpha_t$` → `ᾱ_t`, `\\frac{a}{b}` →
    `(a)/(b)`), for snippets."""

    def math(m):
        t = m.group(1) or m.group(2) or m.group(3) or ''
        t = re.sub(r'\\bar\s*\{?\\alpha\}?', 'ᾱ', t)
        accent = {'hat': '\u0302', 'tilde': '\u0303', 'bar': '\u0304'}
        t = re.sub(
            r'\\(hat|tilde|bar)\s*\{?(\\[A-Za-z]+|[A-Za-z])\}?',
            lambda k: TEX.get(k.group(2).lstrip('\\'), k.group(2)) + accent[k.group(1)],
            t,
        )
        for _ in range(3):
            t = re.sub(r'\\sqrt\s*\{([^{}]*)\}', r'√(\1)', t)
            t = re.sub(r'\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}', r'(\1)/(\2)', t)
        t = re.sub(r'\\([A-Za-z]+)', lambda k: TEX.get(k.group(1), k.group(1)), t)
        t = re.sub(r'\\[,;:! ]', ' ', t).replace('\\\\', ' ')
        return re.sub(r'[{}]', '', t)

    return re.sub(r'\$\$(.+?)\$\$|\$([^$\n]+?)\$|\\\((.+?)\\\)', math, text, flags=re.S)


# -- API entries like nbdev's: `class` or `def`, the signature, a parameter table ----------------


def _split_top(text: str, sep: str = ',') -> list:
    "Split on `sep` outside brackets and quotes."
    out, depth, quote, cur = [], 0, None, ''
    for ch in text:
        if quote:
            quote = None if ch == quote else quote
        elif ch in '\'"':
            quote = ch
        elif ch in '([{':
            depth += 1
        elif ch in ')]}':
            depth -= 1
        elif ch == sep and depth == 0:
            out.append(cur)
            cur = ''
            continue
        cur += ch
    return out + [cur]


def _param(code: str, comment: str) -> tuple:
    "One parameter `name:type=default` as (name, type, default, details)."
    head, *default = _split_top(code, '=')
    name, _, typ = head.partition(':')
    return name.strip(), typ.strip(), '='.join(default).strip(), comment


def _is_class(name: str, source_url: str) -> bool:
    """Whether the entry's name is a class in the module its source link points at (else: whether
    it is CamelCase)."""
    m = re.search(r'/blob/[^/]+/(.+?\.py)', source_url or '')
    if m and (ROOT / m.group(1)).is_file():
        return bool(
            re.search(rf'^class {re.escape(name)}\b', (ROOT / m.group(1)).read_text(), re.M)
        )
    return name[:1].isupper() and '.' not in name


def api_entry(md: str) -> str:
    """show_doc's Markdown (`def Name(\n a:int=1, # what a is\n):`) as nbdev's pages show it:
    `class` for a class, the signature without the comments (one line when short), then a table
    of the parameters: type, default, details."""
    src = re.search(r'href="([^"]+)" class="source-link"', md)

    def block(m):
        kind, name, body = m.group(1), m.group(2), m.group(3)
        ret, ret_doc = m.group(4) or '', m.group(5) or ''
        params = []
        for line in body.splitlines():
            code, _, comment = line.partition(' # ')
            code = code.strip().rstrip(',') if comment else code.strip()
            parts = [p.strip() for p in _split_top(code) if p.strip()]
            last = len(parts) - 1  # a comment belongs to the line's last parameter
            params += [
                _param(p, comment.strip() if comment and i == last else '')
                for i, p in enumerate(parts)
            ]
        if _is_class(name.split('.')[-1], src and src.group(1)) and kind == 'def':
            kind = 'class'
        # without nbdev's module prefix for names defined in the notebook
        params = [(n, t.replace('__main__.', ''), d, c) for n, t, d, c in params]
        args = [f"{n}{':' + t if t else ''}{'=' + d if d != '' else ''}" for n, t, d, _ in params]
        one = f"{kind} {name}({', '.join(args)}){ret}"
        long = f"{kind} {name}(\n" + ''.join(f"    {a},\n" for a in args) + f"){ret}"
        sig = one if len(one) <= 96 else long
        shown = [p for p in params if p[0] not in ('self', 'cls', '*', '/')]
        cell = lambda x: x.replace('|', '\\|').replace('*', '\\*')
        code = lambda x: f'`{cell(x)}`' if x != '' else ''
        table = (
            (
                '\n\n| | **Type** | **Default** | **Details** |\n|---|---|---|---|\n'
                + ''.join(
                    f"| {cell(n)} | {code(t)} | {code(d)} | {cell(c)} |\n" for n, t, d, c in shown
                )
            )
            if shown
            else ''
        )
        if table and (ret_doc or ret):  # nbdev's last row: what it returns
            r = ret.strip().lstrip('->').strip()
            table += f"| **Returns** | {f'`{cell(r)}`' if r else ''} |  | {cell(ret_doc)} |\n"
        return f"```python\n{sig}\n```{table}"

    sig_block = (
        r'```python\n(def|class|async def) ([\w.]+)\(\n?(.*?)\n?\)(\s*->\s*[^:\n]+)?:?'
        r'(?: # ([^\n]*))?\n```'
    )
    return re.sub(sig_block, block, md, flags=re.S)


# -- Figures: alt text from their caption --------------------------------------------------------

DEFAULT_ALT = 'No description has been provided for this image'


def caption_before(cells: list, d: dict, title: str) -> str:
    """The caption of a figure from a code cell with directives `d` that follows `cells`: `#|
    fig-alt`/`fig-cap`, else the Markdown just above it (its last paragraph), else a mention of the
    page."""
    if d.get('fig-alt') or d.get('fig-cap'):
        return d.get('fig-alt') or d.get('fig-cap')
    for c in reversed(cells):
        if c.cell_type == 'markdown' and c.source.strip():
            paras = [
                p
                for p in re.split(r'\n\s*\n', c.source.strip())
                if not p.lstrip().startswith(('<div', '|', '```'))
            ]
            text = plain_text(paras[-1]) if paras else ''
            if text:
                return text
        figure = any(o.get('output_type') == 'display_data' for o in c.get('outputs', []))
        if c.cell_type == 'code' and figure:
            break  # the caption of an earlier figure
    return f"A figure of the page {title!r}"


def figures_with_alt(cell, alt: str):
    """A code cell's image outputs given `alt`: PNG/JPEG outputs become `<img alt=...>`; `<img>` in
    HTML outputs get one."""
    esc = html.escape(alt, quote=True)
    for o in cell.outputs:
        data = o.get('data', {})
        for mime in ('image/png', 'image/jpeg'):
            if mime in data and 'text/html' not in data:
                b64 = ''.join(data[mime]).replace('\n', '')
                img = f'<img src="data:{mime};base64,{b64}" alt="{esc}" class="figure">'
                o['data'] = {'text/html': img}
                o.pop('metadata', None)
                o['metadata'] = {}
                break
        if 'text/html' in o.get('data', {}):
            h = ''.join(o['data']['text/html'])
            # an empty alt (matplotlib's player) counts as none
            h = re.sub(r'(<img\b[^>]*?)\salt=""', r'\1', h)
            # a function as the replacement: a caption may hold a TeX backslash
            o['data']['text/html'] = re.sub(
                r'<img\b(?![^>]*\balt=)', lambda m: f'<img alt="{esc}"', h
            )


def fold(code: str, summary: str, open_: bool = False) -> str:
    "Code as a folded block (`<details>`) in Markdown."
    return (
        f'<details class="exported-source"{" open" if open_ else ""}><summary>{html.escape(summary)}</summary>\n\n'
        f'```python\n{code}\n```\n\n</details>'
    )


def markdown_output(cell):
    "The Markdown of an `output: asis` cell (show_doc), or None."
    for o in cell.get('outputs', []):
        data = o.get('data', {})
        if 'text/markdown' in data:
            return ''.join(data['text/markdown'])
    return None


def exported_cells(src_nb: Path, kept: set) -> tuple:
    """The `#| export` cells of the original notebook (nbdev removes them from `_proc`), keyed by
    the id of the last cell before them that `_proc` kept, and the ids of all the original cells."""
    if not src_nb.exists():
        return {}, set()
    nb = json.loads(src_nb.read_text())
    out, prev = {}, None
    for c in nb['cells']:
        src = ''.join(c['source'])
        d = directives(src) if c['cell_type'] == 'code' else {}
        if {'export', 'exporti'} & d.keys() and not {'hide', 'exports'} & d.keys():
            out.setdefault(prev, []).append(strip_directives(src))
        elif c.get('id') in kept:
            prev = c.get('id')
    return out, {c.get('id') for c in nb['cells']}


def stage(nb, path: Path, pages: dict, number: str = None):
    """A processed notebook made ready for mkdocs-jupyter (see the module docstring); `number`: its
    chapter number."""
    import nbformat

    new = nbformat.v4.new_markdown_cell
    fm, cells = frontmatter(nb), []
    exported, original = exported_cells(ROOT / 'nbs' / path.name, {c.get('id') for c in nb.cells})
    title = fm.get('title') or 'ddpm_course'
    # exported source, shown after the API entries (show_doc) nbdev put in place of its cell
    pending = []

    def flush():
        if pending:
            cells.append(new(fold('\n\n'.join(pending), 'Exported source')))
        pending.clear()

    def page_md(md):
        return demo_ids(local_links(site_links(pandoc_attrs(md)), pages))

    for c in list(nb.cells):
        if pending and c.get('id') in original:
            flush()
        pending.extend(exported.get(c.get('id'), []))
        c.metadata = {}
        if c.cell_type == 'raw':
            if c.source.lstrip().startswith('---'):
                desc = (
                    f"\n\n<div class=\"description\">{html.escape(fm['description'])}</div>"
                    if fm.get('description')
                    else ''
                )
                head = f"{number} · {fm.get('title', '')}" if number else fm.get('title', '')
                link = download_link(path) if path.stem != 'index' else ''
                cells.append(new(f"# {head}{desc}{link}"))
            continue
        if c.cell_type == 'markdown':
            if c.source.startswith('<!-- WARNING: THIS FILE WAS AUTOGENERATED'):
                continue
            c.source = page_md(site_wording(path.stem, c.source))
        elif c.cell_type == 'code':
            d = directives(c.source)
            if d.get('include') == 'false':
                continue
            if d.get('output') == 'asis':
                md = markdown_output(c)
                if md is not None:
                    cells.append(new(api_entry(page_md(md))))
                continue
            if d.get('output') == 'false':
                c.outputs = []
            src = strip_directives(c.source)
            # Quarto's folded code, e.g. nbdev's `#| exports`
            if 'code-fold' in d and d['code-fold'] != 'false' and src:
                cells.append(
                    new(fold(src, d.get('code-summary', 'Code'), open_=d['code-fold'] == 'show'))
                )
                src = ''
            if d.get('echo') == 'false' or not src:
                c.metadata['tags'] = ['remove_input']
            c.source = src
            # a widget needs a kernel: its saved view is dropped (the browser demo stands in for it
            # on the site)
            c.outputs = [
                o
                for o in c.outputs
                if 'application/vnd.jupyter.widget-view+json' not in o.get('data', {})
            ]
            # Markdown and HTML outputs (tables of errors) link to our pages too
            for o in c.outputs:
                for mime in ('text/markdown', 'text/html'):
                    if mime in o.get('data', {}):
                        o['data'][mime] = page_md(''.join(o['data'][mime]))
            figures_with_alt(c, caption_before(cells, d, title))
            if not src and not c.outputs:
                continue
        cells.append(c)
    flush()
    nb.cells = cells
    nb.metadata = {
        'kernelspec': nb.metadata.get('kernelspec', {}),
        'language_info': {'name': 'python'},
    }
    return nb


def site_wording(stem: str, md: str) -> str:
    "A Markdown cell with SITE_WORDING's replacements for this notebook applied."
    for old, new in SITE_WORDING.get(stem, []):
        if old in md:
            md = md.replace(old, new)
            _WORDING_USED.add(old)
    return md


_WORDING_USED = set()


def download_link(path: Path) -> str:
    "A link to the notebook itself (copied into the site's nbs/ folder), under a chapter's title."
    if not (ROOT / 'nbs' / path.name).is_file():
        return ''
    return (
        f'\n\n<p class="download-nb"><a href="nbs/{path.name}" download>Download this notebook '
        f'({path.name})</a> · <a href="{REPO}/blob/main/nbs/{path.name}">view it on GitHub</a>'
        '</p>'
    )


# -- 2. Rendering with MkDocs ------------------------------------------------------------------------------------------


def build_site(nav: list, live_js: bool):
    from mkdocs.config import load_config
    from mkdocs.commands.build import build

    write_theme()
    footer = (
        f'ddpm_course {version()} · Apache-2.0 · '
        f'built from <a href="{REPO}">{REPO.split("://")[1]}</a>'
    )
    cfg = load_config(str(ROOT / 'mkdocs.yml'), nav=nav, copyright=footer)
    if live_js:
        cfg.extra_javascript.append(_module_script('demo/live.js'))
    build(cfg)


def version() -> str:
    "The package's version, read from ddpm_course/__init__.py (without importing it)."
    pkg = ROOT / 'ddpm_course'
    f = pkg / '_version.py' if (pkg / '_version.py').is_file() else pkg / '__init__.py'
    return re.search(r'__version__\s*=\s*[\'"]([^\'"]+)', f.read_text()).group(1)


def write_theme():
    """Theme overrides (mkdocs.yml: custom_dir): the header's repository link without the theme's
    script that asks GitHub's API for stars and forks (a request off the site)."""
    (THEME / 'partials').mkdir(parents=True, exist_ok=True)
    (THEME / 'partials' / 'source.html').write_text(
        '<a href="{{ config.repo_url }}" title="{{ lang.t(\'source\') }}" class="md-source">\n'
        '  <div class="md-source__icon md-icon">'
        '{% include ".icons/fontawesome/brands/github.svg" %}</div>\n'
        '  <div class="md-source__repository">{{ config.repo_name }}</div>\n</a>\n'
    )


def nav_for(nbs: list, pages: dict, md_pages: list, table: list) -> list:
    """The menu: Home; the chapters the home page's course table links, numbered, under "Course";
    the other notebooks under "Library reference"; Markdown pages (benchmarks.md, development.md)
    under "Project"."""
    stems = {p.stem: nb for p, nb in nbs}
    course = [{f'{n} {t}': f'{pages[s]}.ipynb'} for n, t, s in table if s in stems]
    in_course = {s for _, _, s in table}
    ref = [
        {(frontmatter(nb).get('title') or p.stem).replace('`', ''): f'{pages[p.stem]}.ipynb'}
        for p, nb in nbs
        if p.stem != 'index' and p.stem not in in_course
    ]
    project = []
    for md in md_pages:
        title = re.search(r'^#\s+(.+)$', md.read_text(), re.M)
        project.append({(title.group(1).strip() if title else md.stem): md.name})
    nav = [
        {'Home': 'index.ipynb'},
        {'Course': course},
        {'Library reference': ref},
        {'Project': project},
    ]
    return [n for n in nav if list(n.values())[0]]


def _module_script(path):
    from mkdocs.config.config_options import ExtraScriptValue

    s = ExtraScriptValue(path)
    s.type = 'module'
    return s


# -- 3. Checks on the built pages --------------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return re.sub(r'\W', '', re.sub(r'<[^>]+>', '', html.unescape(text))).lower()


def fix_headings(site: Path):
    """Give every heading of a notebook page a unique id and point the page's table of contents at
    them.

    mkdocs-jupyter gives headings the ids nbconvert makes (repeated when two headings read alike,
    e.g. the section "`evaluate`" and the API entry `evaluate`), while it builds the table of
    contents from a Markdown rendering of the notebook, whose ids (and texts: it drops code) differ.
    Here an API entry (a show_doc heading) keeps the plain id, which is what nbdev's links point at;
    repeats get `_1`, `_2`; each contents entry takes the id and text of the next heading that reads
    like it."""
    head = re.compile(
        r'<h([1-6]) id="([^"]*)">(.*?)<a class="anchor-link" href="#\2">¶</a></h\1>', re.S
    )
    for p in site.glob('*.html'):
        text = p.read_text()
        hs = list(head.finditer(text))
        if not hs:
            continue
        api = [
            bool(re.search(r'class="source-link"', text[max(0, h.start() - 600) : h.start()]))
            for h in hs
        ]
        ids, taken = [h.group(2) for h in hs], set()
        # API entries first: they keep the plain id
        for i in sorted(range(len(hs)), key=lambda i: (not api[i], i)):
            base, n = ids[i], 0
            while ids[i] in taken:
                n += 1
                ids[i] = f'{base}_{n}'
            taken.add(ids[i])
        out, last = [], 0
        for h, new_id in zip(hs, ids):
            out += [
                text[last : h.start()],
                f'<h{h.group(1)} id="{new_id}">{h.group(3)}<a class="anchor-link" href="#{new_id}">¶</a></h{h.group(1)}>',
            ]
            last = h.end()
        text = ''.join(out) + text[last:]
        # the contents entries read like their heading without its code: match on that, in order,
        # levels 1-3
        heads = [
            (_norm(re.sub(r'<code>.*?</code>', '', h.group(3))), new_id, h.group(3).strip())
            for h, new_id in zip(hs, ids)
            if int(h.group(1)) <= 3
        ]
        pos = 0

        def toc(m):
            nonlocal pos
            want = _norm(m.group(2))
            # the theme prints the contents twice (side, mobile)
            for j in [*range(pos, len(heads)), *range(pos)]:
                if heads[j][0] == want:
                    pos = j + 1
                    return f'<a href="#{heads[j][1]}" class="md-nav__link">{m.group(1)}{heads[j][2]}{m.group(3)}'
            return m.group(0)

        text = re.sub(
            r'<a href="#[^"]*" class="md-nav__link">(\s*<span class="md-ellipsis">\s*)(.*?)(\s*</span>)',
            toc,
            text,
            flags=re.S,
        )
        if heads:
            text = re.sub(
                r'<a href="#[^"]*" class="md-skip">',
                f'<a href="#{heads[0][1]}" class="md-skip">',
                text,
                count=1,
            )
        p.write_text(text)


def fix_api_links(site: Path) -> list:
    """Point every link between pages at an anchor that exists: nbdev links a name to
    `page.html#name` in lowercase even when its entry has another id, and links private names
    that have no entry at all. A link whose target cannot be found is unwrapped (the name stays,
    in code) and reported."""
    ids = {p.name: set(re.findall(r'\sid="([^"]+)"', p.read_text())) for p in site.glob('*.html')}
    lower = {}
    # a plain id before its repeats (`evaluate` before `evaluate_1`)
    for n, s in ids.items():
        lower[n] = {}
        for i in sorted(s, key=lambda i: (bool(re.search(r'_\d+$', i)), i)):
            lower[n].setdefault(_norm(i), i)
    unlinked = []
    for p in site.glob('*.html'):
        text = p.read_text()

        def fix(m):
            page, frag = m.group(2), m.group(3)
            if page not in ids:
                return m.group(0)
            if frag in ids[page]:
                return m.group(0)
            if _norm(frag) in lower[page]:
                return f'{m.group(1)}{page}#{lower[page][_norm(frag)]}"'
            return None

        def link(m):
            a = re.match(r'(<a\s[^>]*href=")([\w.-]+\.html)#([^"]+)"', m.group(1))
            if not a:
                return m.group(0)
            fixed = fix(a)
            if fixed is None:
                unlinked.append(f"{p.name}: {a.group(2)}#{a.group(3)}")
                return m.group(2)
            return m.group(0).replace(a.group(0), fixed, 1)

        new = re.sub(
            r'(<a\s[^>]*href="[\w.-]+\.html#[^"]+"[^>]*>)(.*?)</a>', link, text, flags=re.S
        )
        if new != text:
            p.write_text(new)
    return unlinked


def no_cdn(site: Path):
    """Remove the CDN scripts nbconvert's template adds (mermaid, widgets) and fail on anything else
    loaded from outside."""
    for p in site.glob('*.html'):
        text = p.read_text()
        new = re.sub(r'<script[^>]*src="https?://[^"]*"[^>]*>\s*</script>', '', text)
        new = re.sub(
            r'<link[^>]*href="https?://[^"]*font-awesome[^"]*"[^>]*>',
            '<link rel="stylesheet" href="font-awesome/css/font-awesome.min.css">'
            if FONT_AWESOME.is_dir()
            else '',
            new,
        )
        new = re.sub(
            r'<script type="module">\s*import mermaid from "https?://[^"]*";.*?</script>',
            '',
            new,
            flags=re.S,
        )
        if new != text:
            p.write_text(new)
        remote = re.findall(r'<(?:script|link|img|iframe)[^>]*(?:src|href)="(https?://[^"]*)"', new)
        remote = [
            u for u in remote if not re.search(r'<link[^>]*rel="canonical"', new.split(u)[0][-200:])
        ]
        if remote:
            sys.exit(f"{p.name}: still loads from another host: {remote[:3]}")


def clean_toc(site: Path):
    """Tables of contents as a reader wants them: each entry reads as its heading (an API entry in
    code), and no entry is empty or repeats an earlier one of the same contents (the later heading
    stays on the page)."""
    entry_re = (
        r'(?P<nav><nav class="md-nav md-nav--secondary")|'
        r'(?P<li><li class="md-nav__item">\s*)?'
        r'<a href="#(?P<id>[^"]*)" class="md-nav__link">\s*<span class="md-ellipsis">\s*'
        r'(?P<label>(?:(?!</span>).)*?)\s*</span>\s*</a>(?P<end>\s*</li>)?'
    )
    for p in site.glob('*.html'):
        text = p.read_text()
        heads = {
            m.group(2): (m.group(3), m.start())
            for m in re.finditer(r'<h([1-6]) id="([^"]*)">(.*?)<a class="anchor-link"', text, re.S)
        }
        api = {
            i
            for i, (_, at) in heads.items()
            if 'class="source-link"' in text[max(0, at - 700) : at]
        }
        seen = set()

        def entry(m):
            nonlocal seen
            if m.group('nav'):
                seen = set()
                return m.group(0)
            i = m.group('id')
            label = heads[i][0] if i in heads else m.group('label')
            label = re.sub(r'</?a\b[^>]*>', '', label).strip()
            if i in api and '<code>' not in label:
                label = f'<code>{label}</code>'
            # a section "DDIM" and the class `DDIM` may both stay
            key = ('<code>' in label, _norm(label))
            leaf = m.group('li') is not None and m.group('end') is not None
            if (not key[1] or key in seen) and leaf:
                return ''
            seen.add(key)
            a, b = m.start('label') - m.start(0), m.end('label') - m.start(0)
            return m.group(0)[:a] + label + m.group(0)[b:]

        new = re.sub(entry_re, entry, text, flags=re.S)
        if new != text:
            p.write_text(new)


def clean_search(site: Path):
    """The search index without the heading marks (¶), the copy buttons' hidden \"Copied!\" and raw
    TeX."""
    f = site / 'search' / 'search_index.json'
    if not f.is_file():
        return
    index = json.loads(f.read_text())
    for d in index['docs']:
        d['title'] = ' '.join(tex_text(d['title'].replace('¶', '')).split())
        d['text'] = tex_text(re.sub(r'\s*Copied!\s*', ' ', d['text']).replace('¶', ''))
    f.write_text(json.dumps(index, ensure_ascii=False))


def fix_404(site: Path):
    """404.html with relative links, so that it is styled wherever the site is served: MkDocs writes
    its links from the root of site_url (`/ddpm_course/...`). Where the page is served under that
    path, a `<base>` points there, so that it also works for a missing page in a sub-folder."""
    f = site / '404.html'
    if not f.is_file():
        return
    root = '/' + DOC_HOST.split('://', 1)[1].split('/', 1)[1]  # /ddpm_course/
    text = f.read_text().replace(f'"{root}', '"').replace(f'"{root.rstrip("/")}"', '"."')
    base = (
        f'<script>if (location.pathname.startsWith({json.dumps(root)})) '
        f'document.write(\'<base href="{root}">\')</script>'
    )
    f.write_text(text.replace('<head>', '<head>\n' + base, 1))


# ----------------------------------------------------------------------------------------------------------------------


def main():
    import nbformat
    from nbdev.serve import proc_nbs

    proc = Path(proc_nbs(n_workers=0))
    if SRC.exists():
        shutil.rmtree(SRC)
    SRC.mkdir(parents=True)
    paths = course_order(proc)
    nbs = [
        (p, nbformat.reads(p.read_text(), as_version=4, capture_validation_error={})) for p in paths
    ]
    pages = {p.stem: page_name(nb, p) for p, nb in nbs}
    # Markdown pages (benchmarks.md, development.md): "Project"
    md_pages = sorted((ROOT / 'nbs').glob('*.md'))
    index = next((nb for p, nb in nbs if p.stem == 'index'), None)
    table = course_table(index) if index is not None else []
    numbers = {s: n for n, _, s in table}
    nav = nav_for(nbs, pages, md_pages, table)  # before staging rewrites the table's links
    for p, nb in nbs:
        staged = stage(nb, p, pages, numbers.get(p.stem))
        (SRC / f'{pages[p.stem]}.ipynb').write_text(nbformat.writes(staged, version=4))
    for old, _ in (w for ws in SITE_WORDING.values() for w in ws):
        if old not in _WORDING_USED:
            print(f"note: SITE_WORDING no longer found (delete it): {old[:60]}…", file=sys.stderr)
    if (ROOT / 'nbs' / 'images').is_dir():
        shutil.copytree(ROOT / 'nbs' / 'images', SRC / 'images')
    shutil.copy(ROOT / 'nbs' / 'styles.css', SRC / 'styles.css')
    for md in md_pages:
        (SRC / md.name).write_text(
            site_links(local_links(md.read_text(), pages, markdown_page=True))
        )
    live_js = (DEMO / 'live.js').is_file()
    if live_js:
        shutil.copytree(DEMO, SRC / 'demo')
    if OUT.exists():
        shutil.rmtree(OUT)
    build_site(nav, live_js)
    (OUT / 'nbs').mkdir()
    # "download this notebook": the notebooks themselves
    for p, _ in nbs:
        if (ROOT / 'nbs' / p.name).is_file():
            shutil.copy(ROOT / 'nbs' / p.name, OUT / 'nbs' / p.name)
    if MATHJAX.is_dir():
        shutil.copytree(
            MATHJAX, OUT / 'mathjax', ignore=shutil.ignore_patterns('unpacked', 'test', 'docs')
        )
    else:
        print(
            "warning: Debian's libjs-mathjax is not installed (apt-get install libjs-mathjax); formulas stay as TeX",
            file=sys.stderr,
        )
    if FONT_AWESOME.is_dir():
        shutil.copytree(
            FONT_AWESOME, OUT / 'font-awesome', ignore=shutil.ignore_patterns('less', 'scss')
        )
    no_cdn(OUT)
    fix_headings(OUT)
    unlinked = fix_api_links(OUT)
    clean_toc(OUT)
    clean_search(OUT)
    fix_404(OUT)
    if unlinked:
        print(
            f"API names with no entry on the site, left unlinked ({len(unlinked)}): "
            + ', '.join(unlinked),
            file=sys.stderr,
        )
    demo = " (with the browser demo)" if live_js else ""
    print(f"wrote {len(nbs) + len(md_pages)} pages to {OUT}{demo}")


if __name__ == '__main__':
    main()
