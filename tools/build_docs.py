"""Build the course website into _docs/ offline: nbdev's processed notebooks, rendered by nbconvert.

Why nbconvert: it is Jupyter's own renderer, installs from PyPI, and renders every output type the chapters save
(figures, tables, the JavaScript animation player) exactly as JupyterLab shows them, with no site generator to
configure. nbdev's `proc_nbs` first applies the nbdev directives (`#| hide`, `#| echo: false`, ...) and renders
`show_doc` into the API reference. Users with Quarto can still run `nbdev-docs`; both read the same notebooks.

MathJax comes from Debian's libjs-mathjax and the animation player's icons from fonts-font-awesome (both copied into
the site), so pages load nothing from a CDN."""
import html, re, shutil, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT/'_docs'
MATHJAX = Path('/usr/share/javascript/mathjax')
FONT_AWESOME = Path('/usr/share/fonts-font-awesome')   # icons of matplotlib's animation player

CSS = """
body { margin: 0; }
#course-nav { position: fixed; top: 0; left: 0; bottom: 0; width: 230px; overflow-y: auto; padding: 16px 14px;
  background: #f6f7f9; border-right: 1px solid #ddd; font: 14px/1.5 system-ui, sans-serif; box-sizing: border-box; }
#course-nav a { display: block; color: #234; text-decoration: none; padding: 3px 6px; border-radius: 4px; }
#course-nav a.current { background: #dde6f3; font-weight: 600; }
#course-nav .title { font-weight: 700; font-size: 17px; margin-bottom: 10px; display: block; }
main.course-page { margin-left: 240px; max-width: 1100px; }
.course-pager { display: flex; justify-content: space-between; margin: 30px 20px 60px 260px; font: 15px system-ui, sans-serif; }
"""

def pages(proc:Path) -> list:
    "The processed notebooks in course order: the home page first, then the chapters by number."
    nbs = sorted(p for p in proc.glob('*.ipynb') if not p.name.startswith('_'))
    return sorted(nbs, key=lambda p: (p.stem != 'index', p.stem))

def frontmatter(nb) -> dict:
    "The YAML frontmatter nbdev puts in a raw cell (title, description), or {}."
    import yaml
    for c in nb.cells:
        if c.cell_type == 'raw' and c.source.lstrip().startswith('---'):
            return yaml.safe_load(c.source.strip().strip('-')) or {}
    return {}

def directives(src:str) -> dict:
    "Quarto/nbdev `#| key: value` lines of a code cell."
    return {m.group(1): (m.group(2) or '').strip() for m in re.finditer(r'^#\|\s*([\w-]+)\s*:?\s*(.*)$', src, re.M)}

def clean(nb):
    """Prepare a processed notebook for nbconvert: the frontmatter becomes a title, `#| echo/output/include: false`
    are applied (Quarto would do this), directive lines are dropped, and so are run metadata and saved widget state."""
    import nbformat
    fm, cells = frontmatter(nb), []
    for c in nb.cells:
        c.metadata = {}
        if c.cell_type == 'raw' and c.source.lstrip().startswith('---'):
            cells.append(nbformat.v4.new_markdown_cell(f"# {fm.get('title', '')}\n\n> {fm.get('description', '')}"))
            continue
        if c.cell_type == 'code':
            d = directives(c.source)
            if d.get('include') == 'false': continue
            if d.get('output') == 'false': c.outputs = []
            if d.get('echo') == 'false': c.metadata['tags'] = ['remove_input']
            c.source = '\n'.join(l for l in c.source.splitlines() if not l.startswith('#|')).strip()
            if not c.source and not c.outputs: continue
        cells.append(c)
    nb.cells = cells
    nb.metadata.pop('widgets', None)
    return nb

def title_of(nb) -> str:
    for c in nb.cells:
        m = re.search(r'^#\s+(.+)$', c.source, re.M) if c.cell_type == 'markdown' else None
        if m: return m.group(1).strip().replace('`', '')
    return 'untitled'

def render(nb, exporter, mathjax_url) -> str:
    body, _ = exporter.from_notebook_node(nb, resources={'mathjax_url': mathjax_url})
    return body

def main():
    import nbformat
    from nbconvert import HTMLExporter
    from nbdev.serve import proc_nbs
    proc_nbs(n_workers=0)
    proc = ROOT/'_proc'
    if OUT.exists(): shutil.rmtree(OUT)
    OUT.mkdir()
    if (ROOT/'nbs'/'images').is_dir(): shutil.copytree(ROOT/'nbs'/'images', OUT/'images')
    mathjax_url = None
    if MATHJAX.is_dir():
        shutil.copytree(MATHJAX, OUT/'mathjax', ignore=shutil.ignore_patterns('unpacked', 'test'))
        mathjax_url = 'mathjax/MathJax.js?config=TeX-AMS_CHTML'
    else: print("warning: Debian's libjs-mathjax is not installed (apt-get install libjs-mathjax); formulas stay as TeX", file=sys.stderr)
    from traitlets.config import Config
    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_input_tags = {'remove_input'}
    if FONT_AWESOME.is_dir(): shutil.copytree(FONT_AWESOME, OUT/'font-awesome', ignore=shutil.ignore_patterns('less', 'scss'))
    exporter = HTMLExporter(template_name='lab', config=config, exclude_input_prompt=True, exclude_output_prompt=True)
    exporter.mathjax_url = mathjax_url or ''
    exporter.require_js_url = ''
    nbs = [(p, clean(nbformat.reads(p.read_text(), as_version=4, capture_validation_error={}))) for p in pages(proc)]
    entries = [(('index' if p.stem == 'index' else p.stem) + '.html', title_of(nb)) for p, nb in nbs]
    for i, (p, nb) in enumerate(nbs):
        page = render(nb, exporter, mathjax_url)
        page = re.sub(r'<script[^>]*src="https?://[^"]*"[^>]*>\s*</script>', '', page)   # no CDN scripts
        page = re.sub(r'<script[^>]*src=""[^>]*>\s*</script>', '', page)
        page = re.sub(r'<link[^>]*href="https?://[^"]*font-awesome[^"]*"[^>]*>',
                      '<link rel="stylesheet" href="font-awesome/css/font-awesome.min.css">' if FONT_AWESOME.is_dir() else '', page)
        page = re.sub(r'href="(?:nbs/)?(\d\d\w*|index)\.ipynb(#[^"]*)?"', lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', page)
        page = page.replace('src="nbs/images/', 'src="images/')
        name, title = entries[i]
        nav = ''.join(f'<a href="{f}"{" class=current" if f == name else ""}>{html.escape(t)}</a>' for f, t in entries)
        nav = f'<nav id="course-nav"><a class="title" href="index.html">ddpm_course</a>{nav}</nav>'
        prev = f'<a href="{entries[i-1][0]}">← {html.escape(entries[i-1][1])}</a>' if i > 0 else '<span></span>'
        nxt = f'<a href="{entries[i+1][0]}">{html.escape(entries[i+1][1])} →</a>' if i + 1 < len(entries) else '<span></span>'
        page = re.sub(r'<title>.*?</title>', f'<title>{html.escape(title)} – ddpm_course</title>', page, count=1, flags=re.S)
        page = page.replace('</head>', f'<style>{CSS}</style></head>', 1)
        page = re.sub(r'(<body[^>]*>)', lambda m: m.group(1) + nav + '<main class="course-page">', page, count=1)
        page = page.replace('</body>', f'</main><div class="course-pager">{prev}{nxt}</div></body>', 1)
        remote = re.findall(r'<(?:script|link|img)[^>]*(?:src|href)="(https?://[^"]*)"', page)
        if remote: sys.exit(f"{name}: still loads from a CDN: {remote[:3]}")
        (OUT/name).write_text(page)
    print(f"wrote {len(nbs)} pages to {OUT}")

if __name__ == '__main__':
    main()
