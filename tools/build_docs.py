"""Build the documentation site into _docs/, offline: `python tools/build_docs.py` (or `make docs`).

1. nbdev's `proc_nbs` writes `_proc/`: the notebooks with nbdev's directives applied, `show_doc` rendered into the API
   reference, and backticked names turned into links to their entries (`https://<doc_host>/sampling.html#dpm_sample`).
2. Each processed notebook is staged in build/docs_src/ under the page name nbdev gives it (`04_sampling.ipynb` →
   `sampling.ipynb`, so `sampling.html`, the name nbdev's links use), ready for a renderer that knows no nbdev: the
   frontmatter becomes the title, `show_doc` output becomes Markdown (with its Pandoc `{target=...}` attributes turned
   into HTML), exported source is shown folded under its API entry (`<details>`), `#| echo/output/include: false` and
   `code-fold` are applied, links to notebooks (`00_data.ipynb`) and nbdev's absolute API links become links between
   pages, and saved widget state is dropped (it needs a kernel).
3. MkDocs with the Material theme and mkdocs-jupyter (mkdocs.yml) renders the pages, with navigation in course order,
   a table of contents per page and full-text search.
4. MathJax (Debian's libjs-mathjax) and the animation player's icons (fonts-font-awesome) are copied into the site; a
   page that still loads anything from another host fails the build, and so does an API link to a name with no entry.

If the browser demo is built (demo/dist/live.js, by tools/build_demo.py; `make docs` runs it first), it is copied to `<site>/demo/` and every page loads `demo/live.js`
as a JavaScript module. Users with Quarto can still run `nbdev-docs` on the same notebooks (nbs/_quarto.yml)."""
import html, json, os, re, shutil, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT/'build'/'docs_src'                      # mkdocs.yml: docs_dir
OUT = ROOT/'_docs'                                 # mkdocs.yml: site_dir
MATHJAX = Path('/usr/share/javascript/mathjax')
FONT_AWESOME = Path('/usr/share/fonts-font-awesome')   # icons of matplotlib's animation player
DEMO = Path(os.environ.get('DDPM_DEMO_DIST', ROOT/'demo'/'dist'))   # the browser demo (tools/build_demo.py), if built
DOC_HOST = 'https://ddpm-course.github.io/ddpm_course/'


# -- 1. Staging the processed notebooks --------------------------------------------------------------------------------

def frontmatter(nb) -> dict:
    "The YAML frontmatter nbdev puts in a raw cell (title, description, output-file), or {}."
    import yaml
    for c in nb.cells:
        if c.cell_type == 'raw' and c.source.lstrip().startswith('---'):
            return yaml.safe_load(c.source.strip().strip('-')) or {}
    return {}

def page_name(nb, path:Path) -> str:
    "The page a notebook becomes: nbdev's `output-file` (`sampling.html`), else the notebook's name."
    return Path(frontmatter(nb).get('output-file') or path.stem + '.html').stem

def course_order(proc:Path) -> list:
    "The processed notebooks in course order: the home page first, then the chapters by number."
    nbs = sorted(p for p in proc.glob('*.ipynb') if not p.name.startswith('_'))
    return sorted(nbs, key=lambda p: (p.stem != 'index', p.stem))

def directives(src:str) -> dict:
    "Quarto/nbdev `#| key: value` lines of a code cell."
    return {m.group(1): (m.group(2) or '').strip().strip('"\'') for m in re.finditer(r'^#\|\s*([\w-]+)\s*:?\s*(.*)$', src, re.M)}

def strip_directives(src:str) -> str: return '\n'.join(l for l in src.splitlines() if not l.startswith('#|')).strip()

def pandoc_attrs(md:str) -> str:
    "Pandoc link attributes (`[source](url){target=\"_blank\" style=\"...\"}`) as HTML links; other `{...}` blocks dropped."
    def link(m):
        text, url, attrs = m.group(1), m.group(2), m.group(3)
        cls = ' class="source-link"' if text == 'source' else ''
        target = ' target="_blank" rel="noopener"' if 'target=' in attrs else ''
        return f'<a href="{html.escape(url)}"{cls}{target}>{text}</a>'
    md = re.sub(r'\[([^\]]*)\]\(([^)\s]*)\)\{([^}]*)\}', link, md)
    return re.sub(r'(?<=\S)\{(?:[.#][\w-]+\s*|[\w-]+="[^"]*"\s*)+\}', '', md)

def local_links(md:str, pages:dict, markdown_page:bool=False) -> str:
    """Links to notebooks (`00_data.ipynb#x`, `nbs/00_data.ipynb`), to Markdown pages (`benchmarks.md`) and nbdev's
    absolute API links, as links between pages. In a Markdown page they point at the staged files, which MkDocs resolves."""
    md = md.replace(DOC_HOST, '')
    if markdown_page:
        return re.sub(r'(\]\()(?:\./)?([\w.-]+)\.ipynb', lambda m: f'{m.group(1)}{pages.get(m.group(2), m.group(2))}.ipynb', md)
    def nb_link(m):
        stem = m.group(2)
        return f'{m.group(1)}{pages[stem]}.html' if stem in pages else m.group(0)
    md = re.sub(r'(\]\(|href=")(?:\./)?(?:nbs/)?([\w.-]+)\.ipynb', nb_link, md)
    return re.sub(r'(\]\(|href=")(?:\./)?(?:nbs/)?([\w.-]+)\.md\b', lambda m: f'{m.group(1)}{m.group(2)}.html'
                  if (ROOT/'nbs'/f'{m.group(2)}.md').exists() else m.group(0), md)

def fold(code:str, summary:str, open_:bool=False) -> str:
    "Code as a folded block (`<details>`) in Markdown."
    return (f'<details class="exported-source"{" open" if open_ else ""}><summary>{html.escape(summary)}</summary>\n\n'
            f'```python\n{code}\n```\n\n</details>')

def markdown_output(cell):
    "The Markdown of an `output: asis` cell (show_doc), or None."
    for o in cell.get('outputs', []):
        data = o.get('data', {})
        if 'text/markdown' in data: return ''.join(data['text/markdown'])
    return None

def exported_cells(src_nb:Path, kept:set) -> tuple:
    """The `#| export` cells of the original notebook (nbdev removes them from `_proc`), keyed by the id of the last
    cell before them that `_proc` kept, and the ids of all the original cells."""
    if not src_nb.exists(): return {}, set()
    nb = json.loads(src_nb.read_text())
    out, prev = {}, None
    for c in nb['cells']:
        src = ''.join(c['source'])
        d = directives(src) if c['cell_type'] == 'code' else {}
        if {'export', 'exporti'} & d.keys() and not {'hide', 'exports'} & d.keys():
            out.setdefault(prev, []).append(strip_directives(src))
        elif c.get('id') in kept: prev = c.get('id')
    return out, {c.get('id') for c in nb['cells']}

def stage(nb, path:Path, pages:dict):
    "A processed notebook made ready for mkdocs-jupyter (see the module docstring)."
    import nbformat
    new = nbformat.v4.new_markdown_cell
    fm, cells = frontmatter(nb), []
    exported, original = exported_cells(ROOT/'nbs'/path.name, {c.get('id') for c in nb.cells})
    pending = []           # exported source, shown after the API entries (show_doc) nbdev put in place of its cell
    def flush():
        if pending: cells.append(new(fold('\n\n'.join(pending), 'Exported source')))
        pending.clear()
    for c in list(nb.cells):
        if pending and c.get('id') in original: flush()
        pending.extend(exported.get(c.get('id'), []))
        c.metadata = {}
        if c.cell_type == 'raw':
            if c.source.lstrip().startswith('---'):
                desc = f"\n\n<div class=\"description\">{html.escape(fm['description'])}</div>" if fm.get('description') else ''
                cells.append(new(f"# {fm.get('title', '')}{desc}"))
            continue
        if c.cell_type == 'markdown':
            if c.source.startswith('<!-- WARNING: THIS FILE WAS AUTOGENERATED'): continue
            c.source = local_links(pandoc_attrs(c.source), pages)
        elif c.cell_type == 'code':
            d = directives(c.source)
            if d.get('include') == 'false': continue
            if d.get('output') == 'asis':
                md = markdown_output(c)
                if md is not None: cells.append(new(local_links(pandoc_attrs(md), pages)))
                continue
            if d.get('output') == 'false': c.outputs = []
            src = strip_directives(c.source)
            if 'code-fold' in d and d['code-fold'] != 'false' and src:   # Quarto's folded code, e.g. nbdev's `#| exports`
                cells.append(new(fold(src, d.get('code-summary', 'Code'), open_=d['code-fold'] == 'show')))
                src = ''
            if d.get('echo') == 'false' or not src: c.metadata['tags'] = ['remove_input']
            c.source = src
            # a widget needs a kernel: its saved view is dropped (the browser demo stands in for it on the site)
            c.outputs = [o for o in c.outputs if 'application/vnd.jupyter.widget-view+json' not in o.get('data', {})]
            if not src and not c.outputs: continue
        cells.append(c)
    flush()
    nb.cells = cells
    nb.metadata = {'kernelspec': nb.metadata.get('kernelspec', {}), 'language_info': {'name': 'python'}}
    return nb

# -- 2. Rendering with MkDocs ------------------------------------------------------------------------------------------

def build_site(nav:list, live_js:bool):
    from mkdocs.config import load_config
    from mkdocs.commands.build import build
    cfg = load_config(str(ROOT/'mkdocs.yml'), nav=nav)
    if live_js: cfg.extra_javascript.append(_module_script('demo/live.js'))
    build(cfg)

def _module_script(path):
    from mkdocs.config.config_options import ExtraScriptValue
    s = ExtraScriptValue(path); s.type = 'module'
    return s

# -- 3. Checks on the built pages --------------------------------------------------------------------------------------

def _norm(text:str) -> str: return re.sub(r'\W', '', re.sub(r'<[^>]+>', '', html.unescape(text))).lower()

def fix_headings(site:Path):
    """Give every heading of a notebook page a unique id and point the page's table of contents at them.

    mkdocs-jupyter gives headings the ids nbconvert makes (repeated when two headings read alike, e.g. the section
    "`evaluate`" and the API entry `evaluate`), while it builds the table of contents from a Markdown rendering of the
    notebook, whose ids (and texts: it drops code) differ. Here an API entry (a show_doc heading) keeps the plain id,
    which is what nbdev's links point at; repeats get `_1`, `_2`; each contents entry takes the id and text of the next
    heading that reads like it."""
    head = re.compile(r'<h([1-6]) id="([^"]*)">(.*?)<a class="anchor-link" href="#\2">¶</a></h\1>', re.S)
    for p in site.glob('*.html'):
        text = p.read_text()
        hs = list(head.finditer(text))
        if not hs: continue
        api = [bool(re.search(r'class="source-link"', text[max(0, h.start() - 600):h.start()])) for h in hs]
        ids, taken = [h.group(2) for h in hs], set()
        for i in sorted(range(len(hs)), key=lambda i: (not api[i], i)):   # API entries first: they keep the plain id
            base, n = ids[i], 0
            while ids[i] in taken: n += 1; ids[i] = f'{base}_{n}'
            taken.add(ids[i])
        out, last = [], 0
        for h, new_id in zip(hs, ids):
            out += [text[last:h.start()], f'<h{h.group(1)} id="{new_id}">{h.group(3)}<a class="anchor-link" href="#{new_id}">¶</a></h{h.group(1)}>']
            last = h.end()
        text = ''.join(out) + text[last:]
        # the contents entries read like their heading without its code: match on that, in order, levels 1-3
        heads = [(_norm(re.sub(r'<code>.*?</code>', '', h.group(3))), new_id, h.group(3).strip())
                 for h, new_id in zip(hs, ids) if int(h.group(1)) <= 3]
        pos = 0
        def toc(m):
            nonlocal pos
            want = _norm(m.group(2))
            for j in [*range(pos, len(heads)), *range(pos)]:     # the theme prints the contents twice (side, mobile)
                if heads[j][0] == want:
                    pos = j + 1
                    return f'<a href="#{heads[j][1]}" class="md-nav__link">{m.group(1)}{heads[j][2]}{m.group(3)}'
            return m.group(0)
        text = re.sub(r'<a href="#[^"]*" class="md-nav__link">(\s*<span class="md-ellipsis">\s*)(.*?)(\s*</span>)', toc, text, flags=re.S)
        if heads: text = re.sub(r'<a href="#[^"]*" class="md-skip">', f'<a href="#{heads[0][1]}" class="md-skip">', text, count=1)
        p.write_text(text)

def fix_api_links(site:Path) -> list:
    """Point every link between pages at an anchor that exists: nbdev links a name to `page.html#name` in lowercase
    even when its entry has another id, and links private names that have no entry at all. A link whose target cannot be
    found is unwrapped (the name stays, in code) and reported."""
    ids = {p.name: set(re.findall(r'\sid="([^"]+)"', p.read_text())) for p in site.glob('*.html')}
    lower = {}
    for n, s in ids.items():                      # a plain id before its repeats (`evaluate` before `evaluate_1`)
        lower[n] = {}
        for i in sorted(s, key=lambda i: (bool(re.search(r'_\d+$', i)), i)): lower[n].setdefault(_norm(i), i)
    unlinked = []
    for p in site.glob('*.html'):
        text = p.read_text()
        def fix(m):
            page, frag = m.group(2), m.group(3)
            if page not in ids: return m.group(0)
            if frag in ids[page]: return m.group(0)
            if _norm(frag) in lower[page]: return f'{m.group(1)}{page}#{lower[page][_norm(frag)]}"'
            return None
        def link(m):
            a = re.match(r'(<a\s[^>]*href=")([\w.-]+\.html)#([^"]+)"', m.group(1))
            if not a: return m.group(0)
            fixed = fix(a)
            if fixed is None:
                unlinked.append(f"{p.name}: {a.group(2)}#{a.group(3)}")
                return m.group(2)
            return m.group(0).replace(a.group(0), fixed, 1)
        new = re.sub(r'(<a\s[^>]*href="[\w.-]+\.html#[^"]+"[^>]*>)(.*?)</a>', link, text, flags=re.S)
        if new != text: p.write_text(new)
    return unlinked

def no_cdn(site:Path):
    "Remove the CDN scripts nbconvert's template adds (mermaid, widgets) and fail on anything else loaded from outside."
    for p in site.glob('*.html'):
        text = p.read_text()
        new = re.sub(r'<script[^>]*src="https?://[^"]*"[^>]*>\s*</script>', '', text)
        new = re.sub(r'<link[^>]*href="https?://[^"]*font-awesome[^"]*"[^>]*>',
                     '<link rel="stylesheet" href="font-awesome/css/font-awesome.min.css">' if FONT_AWESOME.is_dir() else '', new)
        new = re.sub(r'<script type="module">\s*import mermaid from "https?://[^"]*";.*?</script>', '', new, flags=re.S)
        if new != text: p.write_text(new)
        remote = re.findall(r'<(?:script|link|img|iframe)[^>]*(?:src|href)="(https?://[^"]*)"', new)
        remote = [u for u in remote if not re.search(r'<link[^>]*rel="canonical"', new.split(u)[0][-200:])]
        if remote: sys.exit(f"{p.name}: still loads from another host: {remote[:3]}")

# ----------------------------------------------------------------------------------------------------------------------

def main():
    import nbformat
    from nbdev.serve import proc_nbs
    proc = Path(proc_nbs(n_workers=0))
    if SRC.exists(): shutil.rmtree(SRC)
    SRC.mkdir(parents=True)
    paths = course_order(proc)
    nbs = [(p, nbformat.reads(p.read_text(), as_version=4, capture_validation_error={})) for p in paths]
    pages = {p.stem: page_name(nb, p) for p, nb in nbs}
    md_pages = sorted((ROOT/'nbs').glob('*.md'))      # Markdown pages (benchmarks.md), after the chapters
    nav = []
    for p, nb in nbs:
        title = (frontmatter(nb).get('title') or p.stem).replace('`', '')
        nb = stage(nb, p, pages)
        (SRC/f'{pages[p.stem]}.ipynb').write_text(nbformat.writes(nb, version=4))
        nav.append({('Home' if p.stem == 'index' else title): f'{pages[p.stem]}.ipynb'})
    if (ROOT/'nbs'/'images').is_dir(): shutil.copytree(ROOT/'nbs'/'images', SRC/'images')
    shutil.copy(ROOT/'nbs'/'styles.css', SRC/'styles.css')
    for md in md_pages:
        text = local_links(md.read_text(), pages, markdown_page=True)
        (SRC/md.name).write_text(text)
        title = re.search(r'^#\s+(.+)$', text, re.M)
        nav.append({(title.group(1).strip() if title else md.stem): md.name})
    live_js = (DEMO/'live.js').is_file()
    if live_js: shutil.copytree(DEMO, SRC/'demo')
    if OUT.exists(): shutil.rmtree(OUT)
    build_site(nav, live_js)
    if MATHJAX.is_dir():
        shutil.copytree(MATHJAX, OUT/'mathjax', ignore=shutil.ignore_patterns('unpacked', 'test', 'docs'))
    else: print("warning: Debian's libjs-mathjax is not installed (apt-get install libjs-mathjax); formulas stay as TeX", file=sys.stderr)
    if FONT_AWESOME.is_dir(): shutil.copytree(FONT_AWESOME, OUT/'font-awesome', ignore=shutil.ignore_patterns('less', 'scss'))
    no_cdn(OUT)
    fix_headings(OUT)
    unlinked = fix_api_links(OUT)
    if unlinked: print(f"API names with no entry on the site, left unlinked ({len(unlinked)}): " + ', '.join(unlinked), file=sys.stderr)
    print(f"wrote {len(nav)} pages to {OUT}" + (" (with the browser demo)" if live_js else ""))

if __name__ == '__main__':
    main()
