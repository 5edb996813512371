"""Load every page of the built site (_docs/) in headless Chromium and check it as a reader would see it.

Fails on a page error, an image that did not load (naturalWidth 0), a request that leaves 127.0.0.1, or a sampling
page without its denoising animation. Keeps screenshots of the home page and one chapter in _docs/_screenshots/."""
import functools, http.server, sys, threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT/'_docs'
CHROMIUM = '/usr/bin/chromium'
ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run',
        '--disable-component-update', '--disable-sync', '--disable-quic']

def serve(directory):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args): pass
    handler = functools.partial(Quiet, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd

def main():
    from playwright.sync_api import sync_playwright
    pages = sorted(p.name for p in SITE.glob('*.html'))
    if 'index.html' not in pages: sys.exit("no _docs/index.html: run `make docs` first")
    httpd = serve(SITE)
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    shots = SITE/'_screenshots'; shots.mkdir(exist_ok=True)
    failures = []
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
            page.wait_for_timeout(300)
            broken = page.evaluate("Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src.slice(0, 80))")
            n_img = page.evaluate("document.images.length")
            problems = [f"page error: {e}" for e in errors] + [f"image not loaded: {b}" for b in broken] + [f"request outside 127.0.0.1: {u}" for u in outside]
            if 'sampling' in name and not name.startswith('05'):
                anim = page.evaluate("document.querySelectorAll('.animation, img[src$=\".gif\"]').length")
                if not anim: problems.append("no denoising animation on the sampling page")
            if name in ('index.html', '04_sampling.html'): page.screenshot(path=str(shots/name.replace('.html', '.png')), full_page=False)
            print(f"{'FAIL' if problems else 'ok  '} {name}: {n_img} images" + ''.join(f"\n     {p}" for p in problems))
            failures += [f"{name}: {p}" for p in problems]
            page.close()
        browser.close()
    httpd.shutdown()
    print(f"\ndocs: {len(pages) - len({f.split(':')[0] for f in failures})} passed, {len({f.split(':')[0] for f in failures})} failed")
    sys.exit(1 if failures else 0)

if __name__ == '__main__':
    main()
