"""Load every page of the built site (_docs/) in headless Chromium; check it as a reader would
see it.

Fails on:
- a page error or console error, an image that did not load (naturalWidth 0), a request that leaves
  127.0.0.1;
- a link between pages, or an `#anchor`, that does not resolve (a missing file, or no element with
  that id there);
- literal Pandoc attribute text (`{target=`, `{style=`) on a page;
- a raw HTML mount point of the browser demo (`<div class="ddpm-live" ...>` in a notebook) missing
  from its page, or `demo/live.js` in the site but not loaded as a module on a page;
- the course's stylesheet (nbs/styles.css) not applied on the home page;
- the sampling chapter without its denoising animation (matplotlib's player) or with a figure
  missing;
- the site's search box finding nothing for "guidance";
- (issue 29, what a reader expects) a home page whose first screen is not the live sampling demo
  (1366×900 and 390×844), a link about the demo that does not land on it, the same figure twice on
  the home page; an image without alt text (or with nbconvert's "No description has been provided");
  a table cut off or scrolling sideways (on a phone for the home page, at 1366 px everywhere), a
  code block that scrolls sideways at 1366 px; a link to the published address (site_url) instead of
  the site being read; a search index with "¶" in a title, "Copied!" or raw TeX in a text; a
  table-of-contents entry that is empty, repeats another, or shows an API entry as plain words; an
  API entry shown as `def` where the source says `class`, or without its parameter table; a menu
  without the numbered chapters of the home page's course table under "Course" (and the rest under
  "Library reference"), a chapter title without its number, a chapter without a "download this
  notebook" link; no repository link, dark-mode switch or version line; a 404.html that is unstyled
  or has errors where the site is served; text telling the reader to press a button (`press *X*`)
  the page does not have, saying that a panel uses DDIM/DDPM where the demo uses DPM-Solver++, or
  describing something on the page as "inert".

Keeps screenshots of the home page (1366×900 and 390×844), one chapter and the search results in
_docs/_screenshots/; `--front-images DIR` also copies the two home-page screenshots there
(nbs/images: front_desktop.png, front_phone.png). `--site DIR` checks another built site (used to
show that each check can fail)."""

import json, re, shutil, sys
from pathlib import Path
from urllib.parse import urlsplit, unquote

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / '_docs'
STAGED = ROOT / 'build' / 'docs_src'  # the notebooks as build_docs.py handed them to MkDocs
from browser import ARGS, CHROMIUM, serve  # tools/browser.py

SEARCH_TERM = 'guidance'
LITERAL = ['{target=', '{style=']
DESKTOP, PHONE = {'width': 1366, 'height': 900}, {'width': 390, 'height': 844}
DEFAULT_ALT = 'No description has been provided for this image'
FIRST_SCREEN = 0.6  # the demo must start within the top 60% of the first screen


def live_mounts(page: str) -> int:
    """How many demo mount points (`class=\"ddpm-live\"`) the staged notebook of a page has in its
    Markdown."""
    nb = STAGED / page.replace('.html', '.ipynb')
    if not nb.exists():
        return 0
    cells = json.loads(nb.read_text())['cells']

    # not in code
    def html_of(md):
        return re.sub(r'`[^`]*`', '', re.sub(r'```.*?```', '', md, flags=re.S))

    return sum(
        len(re.findall(r'<div[^>]*class="[^"]*\bddpm-live\b', html_of(''.join(c['source']))))
        for c in cells
        if c['cell_type'] == 'markdown'
    )


def check_search(browser, base, shots) -> list:
    "Type the search term into the site's search box and count the results."
    page = browser.new_page(viewport={'width': 1280, 'height': 900})
    page.goto(base + 'index.html', wait_until='load')
    box = page.locator('input.md-search__input')
    if not box.count():
        return [f"index.html: no search box"]
    box.click()
    n = 0
    # the index loads in a web worker: type again until it answers (at most ~20 s)
    for _ in range(20):
        box.fill('')
        box.type(SEARCH_TERM)
        try:
            page.wait_for_selector('.md-search-result__item', timeout=1000)
        except Exception:
            pass
        n = page.locator('.md-search-result__item').count()
        if n:
            break
    page.screenshot(path=str(shots / 'search.png'))
    page.close()
    print(f"{'ok  ' if n else 'FAIL'} search for {SEARCH_TERM!r}: {n} results")
    return [] if n else [f"search: nothing found for {SEARCH_TERM!r}"]


# -- Issue 29: what a reader expects of the site ------------------------------------------------

IMAGES_WITHOUT_ALT = """alt => Array.from(document.images).filter(i => !i.closest('.ddpm-live'))
    .filter(i => !(i.getAttribute('alt') || '').trim() || i.getAttribute('alt') === alt)
    .map(i => (i.id || i.getAttribute('src') || '').slice(0, 60))"""

SIDEWAYS = """phone => {
    const out = [], wide = e => e.scrollWidth > e.clientWidth + 1;
    const content = document.querySelector('.md-content') || document.body;
    for (const pre of content.querySelectorAll('pre')) {
        if (!pre.offsetParent) continue;                         // folded away (<details>)
        if (wide(pre) || [...pre.children].some(c => c.tagName === 'CODE' && wide(c)))
            out.push('code block scrolls sideways: ' +
                     JSON.stringify(pre.innerText.trim().split('\\n')[0].slice(0, 70)));
    }
    for (const t of content.querySelectorAll('table')) {
        if (!t.offsetParent) continue;
        const right = t.getBoundingClientRect().right;
        let cut = right > document.documentElement.clientWidth + 1 || wide(t);
        for (let a = t.parentElement; a && a !== content && !cut; a = a.parentElement)
            cut = ['auto', 'scroll', 'hidden'].includes(getComputedStyle(a).overflowX) && wide(a);
        if (cut) out.push(`table cut off or scrolling sideways: ${t.rows.length} rows, first: ` +
            JSON.stringify((t.rows[0]?.innerText || '').replace(/\\s+/g, ' ').slice(0, 60)));
    }
    if (phone && document.documentElement.scrollWidth > innerWidth + 1)
        out.push(`the page is ${document.documentElement.scrollWidth} px wide ` +
                 `on a ${innerWidth} px screen`);
    return out;
}"""

TOC = """() => {
    const nav = document.querySelector('.md-sidebar--secondary nav.md-nav--secondary');
    if (!nav) return [];
    const isApi = h => {
        const p = h && h.previousElementSibling;
        return !!(p && (p.matches('a.source-link') || p.querySelector('a.source-link')));
    };
    return [...nav.querySelectorAll('a.md-nav__link')].map(a => {
        const h = document.getElementById(decodeURIComponent(a.hash.slice(1)));
        return {text: a.innerText.trim(), code: !!a.querySelector('code'), api: isApi(h),
                head: h ? h.innerText.replace('¶', '').trim() : null};
    });
}"""

API = """() => [...document.querySelectorAll('a.source-link')].map(src => {
    let h = src.closest('p') || src;
    while (h && !/^H[1-6]$/.test(h.tagName)) h = h.nextElementSibling;
    if (!h) return null;
    let pre = null, table = false;
    const end = e => !e || /^(H[1-6]|HR)$/.test(e.tagName);
    for (let e = h.nextElementSibling; !end(e); e = e.nextElementSibling) {
        pre ??= e.matches('pre') ? e : e.querySelector('pre');
        table ||= e.matches('table') || !!e.querySelector('table');
    }
    return {name: h.innerText.replace('¶', '').trim(), href: src.getAttribute('href'),
            sig: pre ? pre.innerText.trim() : '', table};
}).filter(Boolean)"""

WORDING = """() => {
    const out = [], content = document.querySelector('.md-content') || document.body;
    const buttons = new Set([...document.querySelectorAll('button')]
                            .map(b => b.innerText.trim().toLowerCase()));
    for (const em of content.querySelectorAll('em')) {
        const before = em.previousSibling ? em.previousSibling.textContent : '';
        if (/\\bpress\\s*$/i.test(before) && !buttons.has(em.innerText.trim().toLowerCase()))
            out.push(`says press *${em.innerText.trim()}*, but the page has no such button`);
    }
    const demo = !!document.querySelector('div.ddpm-live[data-demo=sampling]');
    for (const s of content.innerText.split(/(?<=[.!?])\\s+/)) {
        const quote = JSON.stringify(s.slice(0, 100));
        if (/\\binert\\b/i.test(s)) out.push('describes something as inert: ' + quote);
        if (demo && /\\b(panel|demo)\\b[^.]*\\buses\\b[^.]*\\b(DDIM|DDPM)\\b/.test(s))
            out.push('says the panel uses DDIM/DDPM (the demo uses DPM-Solver++): ' + quote);
    }
    return out;
}"""

DEMO_LINKS = """() => [...document.querySelectorAll('.md-content a[href]')].filter(a => {
    const p = a.closest('p, li');
    let h = p;                                        // the paragraph's section heading counts too
    while (h && !/^H[1-3]$/.test(h.tagName)) h = h.previousElementSibling;
    const about = (p ? p.innerText : '') + ' ' + (h ? h.innerText : '');
    return p && a.host === location.host && /\\b(demo|try it|in your browser)\\b/i.test(about);
}).map(a => a.href)"""

SAME_FIGURE = """() => {
    // each image as 16×16 means of a 128×128 copy
    const S = 128, c = document.createElement('canvas'); c.width = c.height = S;
    const g = c.getContext('2d', {willReadFrequently: true});
    g.imageSmoothingQuality = 'high';
    const figures = [...document.images]
        .filter(i => i.naturalWidth > 100 && !i.closest('.ddpm-live'));
    const sig = figures.map(i => {
        g.fillStyle = '#fff'; g.fillRect(0, 0, S, S); g.drawImage(i, 0, 0, S, S);
        const d = g.getImageData(0, 0, S, S).data, v = new Array(256).fill(0);
        for (let k = 0; k < d.length; k += 4) {
            const p = k / 4, x = p % S, y = Math.floor(p / S);
            v[Math.floor(y / 8) * 16 + Math.floor(x / 8)] += (d[k] + d[k + 1] + d[k + 2]) / 3;
        }
        const name = i.alt || i.getAttribute('src').slice(0, 40);
        return {v, r: i.naturalWidth / i.naturalHeight, name};
    });
    const corr = (x, y) => {                                 // Pearson's r of two 16×16 thumbnails
        const m = v => v.reduce((s, a) => s + a, 0) / v.length, mx = m(x), my = m(y);
        let sxy = 0, sxx = 0, syy = 0;
        x.forEach((a, k) => {
            sxy += (a - mx) * (y[k] - my); sxx += (a - mx) ** 2; syy += (y[k] - my) ** 2;
        });
        return sxy / Math.sqrt(sxx * syy + 1e-9);
    };
    const out = [];
    for (let a = 0; a < sig.length; a++) for (let b = a + 1; b < sig.length; b++) {
        if (Math.abs(sig[a].r / sig[b].r - 1) > 0.05) continue;
        const names = `${JSON.stringify(sig[a].name)} and ${JSON.stringify(sig[b].name)}`;
        if (corr(sig[a].v, sig[b].v) > 0.9) out.push(`the same figure twice: ${names}`);
    }
    return out;
}"""

NAV = """() => [...document.querySelectorAll('.md-sidebar--primary nav.md-nav--primary > ul > li')]
  .map(li => ({
    label: (li.querySelector(':scope > label, :scope > a') || li).innerText.trim().split('\\n')[0],
    items: [...li.querySelectorAll(':scope > nav > ul > li > a.md-nav__link, ' +
                                   ':scope > nav > ul > li > label')]
        .map(a => ({text: a.innerText.trim(), href: a.getAttribute('href') || ''}))}))"""

COURSE_TABLE = """() => [...document.querySelectorAll('.md-content table tr')]
    .map(r => [...r.cells])
    .filter(c => c.length > 1 && /^\\d\\d[a-z]?$/.test(c[0].innerText.trim()))
    .filter(c => c[1].querySelector('a'))
    .map(c => ({n: c[0].innerText.trim(),
                href: c[1].querySelector('a').getAttribute('href').split('#')[0]}))"""


def details(lines: list) -> str:
    return ''.join(f"\n     {l}" for l in lines)


def site_url() -> str:
    """The published address (mkdocs.yml's site_url), without its scheme: links to it leave the site
    being read."""
    m = re.search(r'^site_url:\s*(\S+)', (ROOT / 'mkdocs.yml').read_text(), re.M)
    return m.group(1).split('://', 1)[-1].rstrip('/') if m else None


def package_version() -> str:
    pkg = ROOT / 'ddpm_course'
    f = pkg / '_version.py' if (pkg / '_version.py').is_file() else pkg / '__init__.py'
    return re.search(r'__version__\s*=\s*[\'"]([^\'"]+)', f.read_text()).group(1)


def source_keyword(href: str, name: str):
    """`class` or `def`: how the source file an API entry links to declares `name` (None if it
    cannot be found)."""
    m = re.search(r'/blob/[^/]+/(.+?\.py)#L(\d+)', href or '')
    if not m or not (ROOT / m.group(1)).is_file():
        return None
    lines = (ROOT / m.group(1)).read_text().splitlines()[int(m.group(2)) - 1 : int(m.group(2)) + 12]
    short = name.split('.')[-1]
    for l in lines:
        k = re.match(rf'\s*(?:async\s+)?(class|def)\s+{re.escape(short)}\b', l)
        if k:
            return k.group(1)
    return None


def api_problems(entries: list) -> list:
    """API entries whose signature says `def` for a class, or that have parameters but no parameter
    table."""
    out = []
    for e in entries:
        kw = re.match(r'(?:async\s+)?(class|def)\b', e['sig'])
        want = source_keyword(e['href'], e['name'])
        if kw and want and kw.group(1) != want:
            out.append(f"API entry {e['name']}: shown as `{kw.group(1)}`, the source says `{want}`")
        params = re.search(r'\((.*)\)', e['sig'], re.S)
        args = re.split(r',\s*', params.group(1).strip()) if params else []
        own = [a for a in args if a and a.split(':')[0].strip() not in ('self', 'cls')]
        if own and not e['table']:
            out.append(f"API entry {e['name']}: no parameter table")
    return out


def toc_problems(entries: list) -> list:
    """Contents entries that are empty, repeat an earlier one, read unlike their heading, or show an
    API name as prose."""
    out, seen = [], set()
    norm = lambda t: re.sub(r'\W', '', t).lower()
    for e in entries:
        if not e['text']:
            out.append("an empty contents entry")
            continue
        key = (e['code'], norm(e['text']))
        if key in seen:
            out.append(f"contents entry {e['text']!r} twice")
        seen.add(key)
        if e['head'] is not None and norm(e['head']) != norm(e['text']):
            out.append(f"contents entry {e['text']!r} for the heading {e['head']!r}")
        if e['api'] and not e['code']:
            out.append(f"contents entry {e['text']!r} is an API entry shown as plain words")
    return out


def check_search_index() -> list:
    "The search index: no \"¶\" in titles, no \"Copied!\" or raw TeX in texts."
    f = SITE / 'search' / 'search_index.json'
    if not f.is_file():
        return ["search: no search/search_index.json"]
    docs = json.loads(f.read_text())['docs']
    tex = re.compile(
        r'\\(?:frac|alpha|bar|sqrt|hat|tilde|mathbf|mathcal|sigma|epsilon|varepsilon'
        r'|left|right|cdot)\b|\$[^$\s]'
    )
    first = next(
        (
            d['text'][max(0, m.start() - 30) : m.start() + 40]
            for d in docs
            for m in [tex.search(d['text'])]
            if m
        ),
        '',
    )
    bad = [
        (
            f"{sum('¶' in d['title'] for d in docs)} titles with ¶",
            any('¶' in d['title'] for d in docs),
        ),
        (
            f"{sum('Copied!' in d['text'] for d in docs)} texts with the copy button's \"Copied!\"",
            any('Copied!' in d['text'] for d in docs),
        ),
        (
            f"{sum(bool(tex.search(d['text'])) for d in docs)} texts with raw TeX, e.g. "
            + repr(first),
            any(tex.search(d['text']) for d in docs),
        ),
    ]
    out = [f"search index: {msg}" for msg, b in bad if b]
    print(f"{'FAIL' if out else 'ok  '} search index: {len(docs)} entries" + details(out))
    return out


def check_404(browser, base) -> list:
    """404.html, opened where the test server serves the site (not under site_url's path):
    styled, and without errors."""
    page = browser.new_page(viewport=DESKTOP)
    errors = []
    page.on('pageerror', lambda e: errors.append(str(e)))
    page.on('console', lambda m: errors.append(m.text) if m.type == 'error' else None)
    page.goto(base + '404.html', wait_until='load')
    page.wait_for_timeout(300)
    styled = page.evaluate(
        "(h => !!h && getComputedStyle(h).position === 'sticky')"
        "(document.querySelector('.md-header'))"
    )
    page.close()
    out = [f"404.html: {e}" for e in errors]
    if not styled:
        out.append("404.html: unstyled (the theme's stylesheet did not load)")
    print(f"{'FAIL' if out else 'ok  '} 404.html" + ''.join(f"\n     {o}" for o in out))
    return out


def check_front(browser, base, shots, front_images) -> list:
    """The home page at desktop and phone size: the demo on the first screen, tables that fit,
    screenshots."""
    out = []
    for size, label in ((DESKTOP, 'desktop'), (PHONE, 'phone')):
        page = browser.new_page(viewport=size)
        page.goto(base + 'index.html', wait_until='load')
        top = page.evaluate(
            "(d => d ? d.getBoundingClientRect().top : null)"
            "(document.querySelector('div.ddpm-live[data-demo=sampling]'))"
        )
        if top is None or top > FIRST_SCREEN * size['height']:
            out.append(
                f"index.html ({label}): the live demo is not on the first screen "
                f"(top at {top} px of {size['height']})"
            )
        out += [f"index.html ({label}): {p}" for p in page.evaluate(SIDEWAYS, label == 'phone')]
        drawn = "document.querySelector('div.ddpm-live[data-demo=sampling]')?.dataset.drawn"
        try:
            page.wait_for_function(drawn, timeout=90_000)
        except Exception:
            pass
        name = f"front_{label}.png"
        page.screenshot(path=str(shots / name))
        if front_images:
            shutil.copy(shots / name, Path(front_images) / name)
        page.close()
    print(f"{'FAIL' if out else 'ok  '} home page at 1366×900 and 390×844" + details(out))
    return out


def check_chrome(page, base) -> list:
    "The header and footer: a repository link, a working dark-mode switch, the version line."
    out = []
    if not page.evaluate("!!document.querySelector('.md-header a.md-source[href^=\"http\"]')"):
        out.append("no repository link in the header")
    before = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    toggle = page.locator('form[data-md-component=palette] label:visible').first
    if toggle.count():
        toggle.click()
        page.wait_for_timeout(200)
    after = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    if not toggle.count() or before == after:
        out.append(f"no dark-mode switch (colour scheme {before!r} → {after!r})")
    elif after:
        page.locator('form[data-md-component=palette] label:visible').first.click()
    footer = page.evaluate("(f => f ? f.innerText : '')(document.querySelector('.md-footer'))")
    if package_version() not in footer:
        out.append(f"no version line ({package_version()}) in the footer")
    return out


def check_menu(nav: list, table: list, titles: dict, downloads: dict) -> list:
    """The menu is shaped like the course, and each chapter page shows its number and a link to its
    notebook."""
    out, sections = [], {s['label']: s['items'] for s in nav}
    course = sections.get('Course')
    if course is None:
        return [f"menu: no \"Course\" section (top level: {[s['label'] for s in nav]})"]
    if 'Library reference' not in sections:
        out.append("menu: no \"Library reference\" section")
    pages = [i['href'] for i in course]
    want = [t['href'] for t in table]
    if pages != want:
        out.append(f"menu: Course lists {pages}, the home page's course table {want}")
    for item, row in zip(course, table):
        if not re.match(rf"{re.escape(row['n'])}\b", item['text']):
            out.append(f"menu: {item['text']!r} without its number {row['n']}")
        if not titles.get(item['href'], '').startswith(row['n']):
            out.append(
                f"{item['href']}: title {titles.get(item['href'])!r} "
                f"without its chapter number {row['n']}"
            )
        if not downloads.get(item['href']):
            out.append(f"{item['href']}: no \"download this notebook\" link")
    return out


def main():
    from playwright.sync_api import sync_playwright

    global SITE
    if '--site' in sys.argv:
        SITE = Path(sys.argv[sys.argv.index('--site') + 1]).resolve()
    front_images = None
    if '--front-images' in sys.argv:
        front_images = sys.argv[sys.argv.index('--front-images') + 1]
    published = site_url()
    pages = sorted(p.name for p in SITE.glob('*.html') if p.name != '404.html')
    if 'index.html' not in pages:
        sys.exit(f"no {SITE}/index.html: run `make docs` first")
    httpd = serve(SITE)
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    shots = SITE / '_screenshots'
    shots.mkdir(exist_ok=True)
    has_live = (SITE / 'demo' / 'live.js').is_file()
    failures, ids, links = [], {}, {}
    nav, table, titles, downloads, demo_links = [], [], {}, {}, {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name in pages:
            page = browser.new_page(viewport=DESKTOP)
            errors, outside = [], []
            page.on('pageerror', lambda e: errors.append(str(e)))
            page.on('console', lambda m: errors.append(m.text) if m.type == 'error' else None)
            page.route(
                '**/*',
                lambda route: (
                    route.continue_()
                    if route.request.url.startswith(base) or route.request.url.startswith('data:')
                    else (outside.append(route.request.url), route.abort())
                ),
            )
            page.goto(base + name, wait_until='load')
            page.evaluate(
                "document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')"
            )
            page.wait_for_timeout(300)
            page.wait_for_function(
                "Array.from(document.images).every(i => i.complete)", timeout=10000
            )
            broken = page.evaluate(
                "Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src.slice(0, 80))"
            )
            n_img = page.evaluate("document.images.length")
            ids[name] = set(
                page.evaluate(
                    "Array.from(document.querySelectorAll('[id], a[name]')).map(e => e.id || e.getAttribute('name'))"
                )
            )
            links[name] = page.evaluate(
                "Array.from(document.querySelectorAll('a[href]')).map(a => a.href)"
            )
            text = page.evaluate("document.body.innerText")
            problems = (
                [f"page error: {e}" for e in errors]
                + [f"image not loaded: {b}" for b in broken]
                + [f"request outside 127.0.0.1: {u}" for u in outside]
            )
            problems += [
                f"literal attribute text {t!r}: ...{text[text.index(t) - 40 : text.index(t) + 40]!r}..."
                for t in LITERAL
                if t in text
            ]
            want, got = (
                live_mounts(name),
                page.evaluate("document.querySelectorAll('div.ddpm-live').length"),
            )
            if got < want:
                problems.append(
                    f"{want} demo mount points (div.ddpm-live) in the notebook, {got} on the page"
                )
            if has_live and not page.evaluate(
                "!!document.querySelector('script[type=module][src$=\"demo/live.js\"]')"
            ):
                problems.append(
                    "demo/live.js is in the site but this page does not load it as a module"
                )
            if name == 'sampling.html':
                if not page.evaluate("document.querySelectorAll('.animation img').length"):
                    problems.append("no denoising animation on the sampling page")
                if n_img < 5:
                    problems.append(f"only {n_img} images on the sampling page")
            if name == 'index.html' and page.evaluate(
                "(d => !d || getComputedStyle(d).fontStyle != 'italic')(document.querySelector('div.description'))"
            ):
                problems.append(
                    "the course's stylesheet (nbs/styles.css) is not applied: div.description is not italic"
                )
            mounted = (
                "[...document.querySelectorAll('div.ddpm-live')]"
                ".every(d => d.dataset.state && d.dataset.state !== 'mounting')"
            )
            try:
                page.wait_for_function(mounted, timeout=10_000)
            except Exception:
                pass
            no_alt = page.evaluate(IMAGES_WITHOUT_ALT, DEFAULT_ALT)
            problems += [f"image without alt text: {i}" for i in no_alt]
            problems += page.evaluate(SIDEWAYS, False)
            problems += toc_problems(page.evaluate(TOC)) + api_problems(page.evaluate(API))
            problems += page.evaluate(WORDING)
            if published:
                off = sorted(
                    {h for h in links[name] if h.split('://', 1)[-1].startswith(published)}
                )
                problems += [
                    f"link to the published site instead of this one: {h}" for h in off[:5]
                ]
                if len(off) > 5:
                    problems.append(f"... and {len(off) - 5} more links to {published}")
            demo_links[name] = page.evaluate(DEMO_LINKS)
            titles[name] = page.evaluate(
                "(h => h ? h.innerText.replace('¶', '').trim() : '')"
                "(document.querySelector('.md-content h1'))"
            )
            downloads[name] = page.evaluate(
                "[...document.querySelectorAll('.md-content a[href$=\".ipynb\"]')].map(a => a.href)"
            )
            if name == 'index.html':
                problems += page.evaluate(SAME_FIGURE) + check_chrome(page, base)
                nav, table = page.evaluate(NAV), page.evaluate(COURSE_TABLE)
            if name in ('index.html', 'sampling.html'):
                page.screenshot(path=str(shots / name.replace('.html', '.png')), full_page=False)
            print(
                f"{'FAIL' if problems else 'ok  '} {name}: {n_img} images, {len(links[name])} links"
                + ''.join(f"\n     {p}" for p in problems)
            )
            failures += [f"{name}: {p}" for p in problems]
            page.close()
        failures += check_search(browser, base, shots)
        failures += check_front(browser, base, shots, front_images) + check_404(browser, base)
        browser.close()
    httpd.shutdown()
    # links between pages and anchors, resolved against the files and the ids seen in the browser
    bad = []
    for name, hrefs in links.items():
        for href in set(hrefs):
            u = urlsplit(href)
            # another site: not checked offline
            if not href.startswith(base):
                continue
            path = unquote(u.path[len(urlsplit(base).path) :]) or 'index.html'
            target = SITE / path
            if path.endswith('/') or target.is_dir():
                target = target / 'index.html'
                path = str(Path(path) / 'index.html')
            if not target.is_file():
                bad.append(f"{name}: link to a missing file: {href[len(base) :]}")
                continue
            if u.fragment and target.suffix == '.html':
                if path not in ids:
                    ids[path] = set(re.findall(r'\s(?:id|name)="([^"]+)"', target.read_text()))
                if unquote(u.fragment) not in ids[path]:
                    bad.append(f"{name}: link to a missing anchor: {href[len(base) :]}")
    # a link about the demo lands on the demo
    for name, hrefs in demo_links.items():
        for href in sorted(set(hrefs)):
            target = SITE / unquote(urlsplit(href).path[len(urlsplit(base).path) :] or 'index.html')
            if not target.is_file():
                continue
            html = target.read_text()
            if not re.search(r'<div[^>]*class="ddpm-live"', html):
                continue
            frag = unquote(urlsplit(href).fragment)
            on_demo = rf'<div[^>]*class="ddpm-live"[^>]*\sid="{re.escape(frag)}"'
            if not frag or not re.search(on_demo, html):
                bad.append(
                    f"{name}: a link about the demo lands on {href[len(base) :]}, "
                    "not on the demo itself"
                )
    menu = check_menu(nav, table, titles, downloads)
    print(f"{'FAIL' if menu else 'ok  '} menu and chapter pages" + details(menu))
    failures += menu + check_search_index()
    for b in sorted(bad):
        print(f"FAIL {b}")
    failures += bad
    n_bad = len({f.split(':')[0] for f in failures})
    print(
        f"\ndocs: {len(pages) - min(n_bad, len(pages))} passed, {n_bad} failed ({sum(map(len, links.values()))} links checked)"
    )
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
