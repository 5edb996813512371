"""Load every page of the built site (_docs/) in headless Chromium and check it as a reader would see it.

Fails on:
- a page error or console error, an image that did not load (naturalWidth 0), a request that leaves 127.0.0.1;
- a link between pages, or an `#anchor`, that does not resolve (a missing file, or no element with that id there);
- literal Pandoc attribute text (`{target=`, `{style=`) on a page;
- a raw HTML mount point of the browser demo (`<div class="ddpm-live" ...>` in a notebook) missing from its page, or
  `demo/live.js` in the site but not loaded as a module on a page;
- the course's stylesheet (nbs/styles.css) not applied on the home page;
- the sampling chapter without its denoising animation (matplotlib's player) or with a figure missing;
- the site's search box finding nothing for "guidance".
Keeps screenshots of the home page, one chapter and the search results in _docs/_screenshots/.
`--site DIR` checks another built site (used to show that each check can fail)."""
import functools, http.server, json, re, sys, threading
from pathlib import Path
from urllib.parse import urlsplit, unquote

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT/'_docs'
STAGED = ROOT/'build'/'docs_src'       # the notebooks as build_docs.py handed them to MkDocs
CHROMIUM = '/usr/bin/chromium'
ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run',
        '--disable-component-update', '--disable-sync', '--disable-quic']
SEARCH_TERM = 'guidance'
LITERAL = ['{target=', '{style=']

def serve(directory):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args): pass
    handler = functools.partial(Quiet, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd

def live_mounts(page:str) -> int:
    "How many demo mount points (`class=\"ddpm-live\"`) the staged notebook of a page has in its Markdown."
    nb = STAGED/page.replace('.html', '.ipynb')
    if not nb.exists(): return 0
    cells = json.loads(nb.read_text())['cells']
    def html_of(md): return re.sub(r'`[^`]*`', '', re.sub(r'```.*?```', '', md, flags=re.S))   # not in code
    return sum(len(re.findall(r'<div[^>]*class="[^"]*\bddpm-live\b', html_of(''.join(c['source'])))) for c in cells if c['cell_type'] == 'markdown')

def check_search(browser, base, shots) -> list:
    "Type the search term into the site's search box and count the results."
    page = browser.new_page(viewport={'width': 1280, 'height': 900})
    page.goto(base + 'index.html', wait_until='load')
    box = page.locator('input.md-search__input')
    if not box.count(): return [f"index.html: no search box"]
    box.click()
    n = 0
    for _ in range(20):               # the index loads in a web worker: type again until it answers (at most ~20 s)
        box.fill(''); box.type(SEARCH_TERM)
        try: page.wait_for_selector('.md-search-result__item', timeout=1000)
        except Exception: pass
        n = page.locator('.md-search-result__item').count()
        if n: break
    page.screenshot(path=str(shots/'search.png'))
    page.close()
    print(f"{'ok  ' if n else 'FAIL'} search for {SEARCH_TERM!r}: {n} results")
    return [] if n else [f"search: nothing found for {SEARCH_TERM!r}"]

def main():
    from playwright.sync_api import sync_playwright
    global SITE
    if '--site' in sys.argv: SITE = Path(sys.argv[sys.argv.index('--site') + 1]).resolve()
    pages = sorted(p.name for p in SITE.glob('*.html') if p.name != '404.html')
    if 'index.html' not in pages: sys.exit(f"no {SITE}/index.html: run `make docs` first")
    httpd = serve(SITE)
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    shots = SITE/'_screenshots'; shots.mkdir(exist_ok=True)
    has_live = (SITE/'demo'/'live.js').is_file()
    failures, ids, links = [], {}, {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name in pages:
            page = browser.new_page(viewport={'width': 1280, 'height': 900})
            errors, outside = [], []
            page.on('pageerror', lambda e: errors.append(str(e)))
            page.on('console', lambda m: errors.append(m.text) if m.type == 'error' else None)
            page.route('**/*', lambda route: route.continue_() if route.request.url.startswith(base) or route.request.url.startswith('data:')
                       else (outside.append(route.request.url), route.abort()))
            page.goto(base + name, wait_until='load')
            page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')")
            page.wait_for_timeout(300)
            page.wait_for_function("Array.from(document.images).every(i => i.complete)", timeout=10000)
            broken = page.evaluate("Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src.slice(0, 80))")
            n_img = page.evaluate("document.images.length")
            ids[name] = set(page.evaluate("Array.from(document.querySelectorAll('[id], a[name]')).map(e => e.id || e.getAttribute('name'))"))
            links[name] = page.evaluate("Array.from(document.querySelectorAll('a[href]')).map(a => a.href)")
            text = page.evaluate("document.body.innerText")
            problems = [f"page error: {e}" for e in errors] + [f"image not loaded: {b}" for b in broken] + [f"request outside 127.0.0.1: {u}" for u in outside]
            problems += [f"literal attribute text {t!r}: ...{text[text.index(t)-40:text.index(t)+40]!r}..." for t in LITERAL if t in text]
            want, got = live_mounts(name), page.evaluate("document.querySelectorAll('div.ddpm-live').length")
            if got < want: problems.append(f"{want} demo mount points (div.ddpm-live) in the notebook, {got} on the page")
            if has_live and not page.evaluate("!!document.querySelector('script[type=module][src$=\"demo/live.js\"]')"):
                problems.append("demo/live.js is in the site but this page does not load it as a module")
            if name == 'sampling.html':
                if not page.evaluate("document.querySelectorAll('.animation img').length"): problems.append("no denoising animation on the sampling page")
                if n_img < 5: problems.append(f"only {n_img} images on the sampling page")
            if name == 'index.html' and page.evaluate("(d => !d || getComputedStyle(d).fontStyle != 'italic')(document.querySelector('div.description'))"):
                problems.append("the course's stylesheet (nbs/styles.css) is not applied: div.description is not italic")
            if name in ('index.html', 'sampling.html'): page.screenshot(path=str(shots/name.replace('.html', '.png')), full_page=False)
            print(f"{'FAIL' if problems else 'ok  '} {name}: {n_img} images, {len(links[name])} links" + ''.join(f"\n     {p}" for p in problems))
            failures += [f"{name}: {p}" for p in problems]
            page.close()
        failures += check_search(browser, base, shots)
        browser.close()
    httpd.shutdown()
    # links between pages and anchors, resolved against the files and the ids seen in the browser
    bad = []
    for name, hrefs in links.items():
        for href in set(hrefs):
            u = urlsplit(href)
            if not href.startswith(base): continue                       # another site: not checked offline
            path = unquote(u.path[len(urlsplit(base).path):]) or 'index.html'
            target = SITE/path
            if path.endswith('/') or target.is_dir(): target = target/'index.html'; path = str(Path(path)/'index.html')
            if not target.is_file(): bad.append(f"{name}: link to a missing file: {href[len(base):]}"); continue
            if u.fragment and target.suffix == '.html':
                if path not in ids: ids[path] = set(re.findall(r'\s(?:id|name)="([^"]+)"', target.read_text()))
                if unquote(u.fragment) not in ids[path]: bad.append(f"{name}: link to a missing anchor: {href[len(base):]}")
    for b in sorted(bad): print(f"FAIL {b}")
    failures += bad
    n_bad = len({f.split(':')[0] for f in failures})
    print(f"\ndocs: {len(pages) - min(n_bad, len(pages))} passed, {n_bad} failed ({sum(map(len, links.values()))} links checked)")
    sys.exit(1 if failures else 0)

if __name__ == '__main__':
    main()
