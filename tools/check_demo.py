"""Test the docs site's live demo (SITE_DIR/demo/, by tools/build_demo.py) in Chromium against
Python.

1. grid: the JavaScript time grid and ᾱ equal those of the Python package, for several schedules and
   step counts (the grid is read from the time steps dpm_sample really hands the model, whatever
   function computes it).
2. same noise, same digits: from the same x_T, the browser's images equal dpm_sample's (mapped by
   to_uint8) within 2 grey levels (max) and 0.1 (mean), at 10 steps with the checkpoint's guidance
   (weight and interval; the page shows the same weight), and at fewer steps with guidance 0 and 1.
3. 100 digits: ten of each class at the default settings, timed; the shipped classifier (chapter 06)
   labels them as asked about as often as it labels the Python sampler's (within 5 points).
4. the sampling and forward UIs work when clicked and dragged; a screenshot of the drawn digits is
   saved.
5. nothing is loaded from outside the site; without WebAssembly the sampling UI says so (and the
   forward UI works).
6. every page of the site holding a `ddpm-live` div loads live.js and mounts it.
7. the API cannot hurt the page: while 400 images are drawn the page keeps painting (gaps of more
   than 200 ms between animation frames cover at most 10% of the time: a frozen page has one gap as
   long as the drawing); 401 are refused; `cancel()` stops a drawing within 2 s; guidance outside 0
   … 10 and seeds that are not whole numbers 0 … 2³²−1 are refused with a message naming them (good
   edge values are drawn); the UI's seed box refuses −3, 1.5 and nothing the same way, and a 1-step
   drawing says "1 step", not "1 steps".
8. editing (chapter 06b): `edit` gives the same digits as ddpm_course.editing's sdedit and inpaint
   (within 2 grey levels) from the page's seeded noise and from Python's, keeps the kept pixels of
   an inpainting exactly, edits one digit in time (printed), refuses bad images, masks, strengths,
   steps, classes, seeds and noise with a message naming them and still works after; the editing
   UI cleans up a 7 drawn with the mouse as Python does from the drawn pixels, completes an erased
   part keeping the rest, and refuses a bad seed (screenshot live_editing.png beside the other).

Usage: python tools/check_demo.py [SITE_DIR] [--screenshot PNG] (default _docs; PNG default
SITE_DIR/_screenshots/live_demo.png)"""

import argparse, math, re, sys, time
from pathlib import Path
import torch

ROOT = Path(__file__).resolve().parent.parent
from browser import ARGS, CHROMIUM, serve  # tools/browser.py

MAX_DIFF, MEAN_DIFF = 2, 0.1  # grey levels of 255: browser against Python, same x_T
ACCURACY_POINTS = 5  # classifier accuracy, browser against Python, 100 digits
# the page must paint at least this often while the demo draws ...
MAX_GAP_MS = 200
# ... but for this share of the time (a loaded CI machine starves any page now and then)
MAX_STALLED = 0.1
MAX_IMAGES = 400  # images per call
# 100 digits at the defaults (a few seconds on a laptop; CI machines are slower)
MAX_SECONDS = 60
STEPS = 10  # `ddpm-course sample`'s default calls, and the page's


def recommended_guidance() -> tuple:
    "The shipped checkpoint's recommended guidance weight and interval (config.json's sampling)."
    import ddpm_course

    s = ddpm_course.load_pretrained().sampling
    return s.guidance, s.guidance_interval


GUIDANCE, INTERVAL = recommended_guidance()


def shipped_model():
    "The shipped model and its schedule, whether load_pretrained returns a tuple or a Pipeline."
    import ddpm_course

    loaded = ddpm_course.load_pretrained()
    if isinstance(loaded, tuple):
        return loaded[0], loaded[1]
    return loaded.model, loaded.schedule


def dpm_grid(schedule, steps: int) -> list:
    """The time steps dpm_sample visits: recorded from the calls it makes to a predictor that
    returns zero noise."""
    from ddpm_course.sampling import dpm_sample

    seen = []

    def model(x, t, c=None):
        seen.append(int(t[0]))
        return torch.zeros_like(x)

    dpm_sample(model, schedule, (1, 1, 2, 2), steps)  # network calls: 4th argument
    return seen


def js_sample(page, classes, x_T=None, **kw):
    """Call window.ddpmCourse.sample in the page; returns (uint8 [N, 1, H, W], milliseconds
    measured in the page)."""
    args = dict(classes=list(classes), **{'steps': STEPS, 'guidance': GUIDANCE, **kw})
    if x_T is not None:
        args['xT'] = x_T.flatten().tolist()
    r = page.evaluate(
        """async args => {
        if (args.xT) args.xT = Float32Array.from(args.xT);
        const t0 = performance.now();
        const r = await window.ddpmCourse.sample(args);
        return {images: Array.from(r.images), n: r.n, height: r.height, width: r.width, ms: performance.now() - t0};
    }""",
        args,
    )
    return torch.tensor(r['images'], dtype=torch.uint8).reshape(
        r['n'], 1, r['height'], r['width']
    ), r['ms']


def check_responsive(check, page):
    """Draw MAX_IMAGES images (2 steps) while timing animation frames: the page must paint every
    MAX_GAP_MS (mostly)."""
    r = page.evaluate(
        """async ([n, limit]) => {
        let last = performance.now(), gap = 0, frames = 0, busy = true, stalled = 0;
        const note = now => {
            const g = now - last; gap = Math.max(gap, g); if (g > limit) stalled += g; last = now;
        };
        const tick = () => {
            note(performance.now()); frames++; if (busy) requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
        const t0 = performance.now();
        let error = null;
        const classes = Array.from({length: n}, (_, i) => i % 10);
        try { await window.ddpmCourse.sample({classes, steps: 2}); }
        catch (e) { error = e.message; }
        note(performance.now());                 // a page frozen to the end painted no frame at all
        busy = false;
        return {gap, frames, stalled, ms: performance.now() - t0, error};
    }""",
        [MAX_IMAGES, MAX_GAP_MS],
    )
    share = r['stalled'] / r['ms']
    check(
        f'responsive while drawing {MAX_IMAGES} images',
        share <= MAX_STALLED and not r['error'],
        f"{share:.0%} of the time in gaps over {MAX_GAP_MS} ms between frames "
        f"(≤ {MAX_STALLED:.0%}; the longest {r['gap']:.0f} ms), {r['frames']} frames in "
        f"{r['ms'] / 1000:.1f} s" + (f"; error: {r['error']}" if r['error'] else ''),
    )
    r = page.evaluate("""async () => {
        if (typeof window.ddpmCourse.cancel !== 'function')
            return {error: 'no window.ddpmCourse.cancel()'};
        const run = window.ddpmCourse.sample({classes: Array(400).fill(3), steps: 10});
        await new Promise(r => setTimeout(r, 500));
        const t0 = performance.now();
        window.ddpmCourse.cancel();
        try { await run; return {error: 'the drawing was not cancelled'}; }
        catch (e) { return {name: e.name, ms: performance.now() - t0}; }
    }""")
    check(
        'cancel',
        r.get('name') == 'AbortError' and r['ms'] <= 2000,
        r.get('error') or f"{r['name']} after {r['ms']:.0f} ms (≤ 2000)",
    )


BAD = [
    ('classes', 'Array(401).fill(1)'),
    ('guidance', '1e6'),
    ('guidance', '-5'),
    ('guidance', '10.5'),
    ('guidance', 'NaN'),
    ('guidance', "'x'"),
    ('seed', '1.5'),
    ('seed', "'x'"),
    ('seed', '2 ** 40'),
    ('seed', '-1'),
    ('seed', '2 ** 32'),
    ('steps', '0'),
]
GOOD = [('guidance', '0'), ('guidance', '10'), ('seed', '0'), ('seed', '2 ** 32 - 1')]


def check_refusals(check, page):
    """Each bad value is refused with a message that names its argument; the edge values that are
    allowed are drawn."""
    bad = []
    for arg, value in BAD + GOOD:
        r = page.evaluate(f"""async () => {{
            const args = {{classes: [1], steps: 1, guidance: 0, {arg}: {value}}};
            try {{ await window.ddpmCourse.sample(args); return null; }}
            catch (e) {{ return e.message; }}
        }}""")
        if (arg, value) in GOOD and r is not None:
            bad.append(f"{arg} = {value} refused: {r}")
        if (arg, value) in BAD and (r is None or not r.startswith(arg)):
            bad.append(f"{arg} = {value}: {r or 'drawn'}")
    check(
        'bad values refused',
        not bad,
        f"{len(BAD)} refused, {len(GOOD)} drawn" + ''.join(f"\n     {b}" for b in bad),
    )


def check_ui_fields(check, page):
    "The sampling UI refuses a bad seed as the API does, and words a 1-step drawing correctly."
    ui = page.locator('div.ddpm-live[data-demo=sampling]')
    seed, status, bad = ui.locator('input.ddpm-live-seed'), ui.locator('.ddpm-live-status'), []
    for value in ('-3', '1.5', ''):
        page.evaluate("d => delete d.dataset.drawn", ui.element_handle())
        seed.fill(value)
        ui.locator('button.ddpm-live-draw').click()
        page.wait_for_function("d => d.dataset.drawn", arg=ui.element_handle(), timeout=120_000)
        text = status.inner_text()
        if ui.get_attribute('data-drawn') == 'yes' or 'seed' not in text:
            bad.append(f"seed {value!r}: “{text}”")
    seed.fill('0')
    ui.locator('input[type=range]').nth(1).fill('1')  # steps
    page.evaluate("d => delete d.dataset.drawn", ui.element_handle())
    ui.locator('button.ddpm-live-draw').click()
    page.wait_for_function("d => d.dataset.drawn", arg=ui.element_handle(), timeout=120_000)
    text = status.inner_text()
    if re.search(r'\b1 steps\b', text) or ui.get_attribute('data-drawn') != 'yes':
        bad.append(f"1 step: “{text}”")
    ui.locator('input[type=range]').nth(1).fill(str(STEPS))
    check(
        'UI fields',
        not bad,
        'seed −3, 1.5 and empty refused; “1 step”' + ''.join(f"\n     {b}" for b in bad),
    )


EDIT_SECONDS = 30  # one digit edited in the browser (about a second on a laptop)
BAD_EDITS = [  # (argument the message must name, the arguments of `edit`)
    ('image', '{classes: [1], image: new Uint8Array(5)}'),
    ('image', '{classes: [1, 2], image: new Uint8Array(784)}'),
    ('image', '{classes: [1], image: new Float32Array(784).fill(0.5)}'),
    ('image', "{classes: [1], image: 'a seven'}"),
    ('mask', '{classes: [1], image: new Uint8Array(784), mask: new Uint8Array(784).fill(2)}'),
    ('mask', '{classes: [1], image: new Uint8Array(784), mask: new Uint8Array(783)}'),
    ('strength', '{classes: [1], image: new Uint8Array(784), strength: 0}'),
    ('strength', '{classes: [1], image: new Uint8Array(784), strength: 1.5}'),
    ('strength', "{classes: [1], image: new Uint8Array(784), strength: 'high'}"),
    ('steps', '{classes: [1], image: new Uint8Array(784), strength: 0.01, steps: 10}'),
    ('classes', '{classes: [12], image: new Uint8Array(784)}'),
    ('seed', '{classes: [1], image: new Uint8Array(784), seed: -1}'),
    ('noise', '{classes: [1], image: new Uint8Array(784), noise: new Float32Array(3)}'),
]


def js_edit(page, images, classes, mask=None, noise=None, **kw):
    """Call window.ddpmCourse.edit in the page on uint8 `images` [N, 1, H, W]; returns (uint8 images
    like them, milliseconds measured in the page)."""
    args = dict(image=images.flatten().tolist(), classes=list(classes), **kw)
    if mask is not None:
        args['mask'] = mask.expand_as(images).flatten().int().tolist()
    if noise is not None:
        args['noise'] = noise.flatten().tolist()
    r = page.evaluate(
        """async a => {
        a.image = Uint8Array.from(a.image);
        if (a.mask) a.mask = Uint8Array.from(a.mask);
        if (a.noise) a.noise = Float32Array.from(a.noise);
        const t0 = performance.now();
        const r = await window.ddpmCourse.edit(a);
        return {images: Array.from(r.images), ms: performance.now() - t0};
    }""",
        args,
    )
    return torch.tensor(r['images'], dtype=torch.uint8).reshape(images.shape), r['ms']


def page_noise(page, shape, seed):
    "The noise ε the page draws from `seed` (ddpm.randn), as a tensor: what `edit` starts from."
    flat = page.evaluate(
        "([n, s]) => Array.from(window.ddpmCourse.ddpm.randn(n, s))", [math.prod(shape), seed]
    )
    return torch.tensor(flat, dtype=torch.float32).reshape(shape)


def check_edit(check, page, pipe):
    """`edit` against ddpm_course.editing: SDEdit and inpainting of real digits from the page's
    seeded noise and from Python's, the time for one digit, and bad arguments refused with the
    page still working after them."""
    from ddpm_course.editing import sdedit, inpaint, half_mask
    from ddpm_course.data import load_mnist10k, to_uint8

    images, labels = load_mnist10k()
    x, to = images[-4:], (labels[-4:] + 3) % 10  # four digits, each turned into another
    keep = half_mask('top')[None, None]
    for name, mask in (('SDEdit', None), ('inpainting', keep)):
        for source in ('seed', 'noise'):
            eps = (
                page_noise(page, x.shape, 7)
                if source == 'seed'
                else torch.randn(x.shape, generator=torch.Generator().manual_seed(7))
            )
            given = dict(seed=7) if source == 'seed' else dict(noise=eps)
            got, _ = js_edit(page, x, to.tolist(), None if mask is None else mask, **given)
            if mask is None:
                want = to_uint8(sdedit(pipe, x, to, noise=eps))
            else:
                want = to_uint8(inpaint(pipe, x, mask[0, 0], to, noise=eps))
            d = (got.int() - want.int()).abs()
            kept = mask is None or bool((got[mask.expand_as(x)] == x[mask.expand_as(x)]).all())
            check(
                f'edit: {name}, same {source}, same digits',
                d.max() <= MAX_DIFF and d.float().mean() <= MEAN_DIFF and kept,
                f"4 digits: max |Δ| {d.max().item()} (≤ {MAX_DIFF}), mean |Δ| "
                f"{d.float().mean().item():.4f} grey levels"
                + ('' if mask is None else f"; kept pixels unchanged: {kept}"),
            )
    _, ms = js_edit(page, x[:1], [int(to[0])], seed=1)
    print(
        f"     one digit edited in the browser (SDEdit, 10 steps, guidance {GUIDANCE:g}): {ms / 1000:.2f} s"
    )
    check(
        'edit: one digit, time',
        ms / 1000 <= EDIT_SECONDS,
        f"{ms / 1000:.2f} s (≤ {EDIT_SECONDS} s)",
    )
    bad = []
    for arg, value in BAD_EDITS:
        r = page.evaluate(f"""async () => {{
            try {{ await window.ddpmCourse.edit({value}); return null; }}
            catch (e) {{ return e.message; }}
        }}""")
        if r is None or not r.startswith(arg):
            bad.append(f"{value}: {r or 'drawn'}")
    after, _ = js_edit(page, x[:1], [1], seed=0, steps=2)
    check(
        'edit: bad values refused, the page still works',
        not bad and after.shape == x[:1].shape,
        f"{len(BAD_EDITS)} refused with a message naming the argument, then an edit drawn"
        + ''.join(f"\n     {b}" for b in bad),
    )


def draw_on(page, pad, strokes):
    "Draw `strokes` (lists of (u, v) points in 0 … 1 of the pad) with the mouse, as a reader would."
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    for points in strokes:
        xy = [(box['x'] + box['width'] * u, box['y'] + box['height'] * v) for u, v in points]
        page.mouse.move(*xy[0])
        page.mouse.down()
        for p in xy[1:]:
            page.mouse.move(*p, steps=8)
        page.mouse.up()


def check_edit_ui(check, page, pipe, shot):
    """The editing UI as a reader uses it: a 7 drawn with the mouse and cleaned up (the same digit
    as Python's from the drawn pixels), part of it erased and completed (the rest kept exactly), a
    bad seed refused and then a good edit drawn."""
    from ddpm_course.editing import sdedit
    from ddpm_course.data import to_uint8

    ui = page.locator('div.ddpm-live[data-demo=editing]')
    handle, pad, bad = ui.element_handle(), ui.locator('canvas.ddpm-live-pad'), []

    def press(button):
        page.evaluate("d => delete d.dataset.drawn", handle)
        ui.locator(button).click()
        page.wait_for_function("d => d.dataset.drawn", arg=handle, timeout=120_000)
        return ui.get_attribute('data-drawn'), ui.locator('.ddpm-live-status').inner_text()

    draw_on(page, pad, [[(0.25, 0.22), (0.75, 0.22), (0.45, 0.85)]])  # a 7
    ui.locator('select.ddpm-live-target').select_option('7')
    state, text = press('button.ddpm-live-clean')
    last = handle.evaluate(
        "d => ({image: Array.from(d.ddpmLast.image), result: Array.from(d.ddpmLast.result), "
        "strength: d.ddpmLast.strength, seed: d.ddpmLast.seed})"
    )
    drawn = torch.tensor(last['image'], dtype=torch.uint8).reshape(1, 1, 28, 28)
    eps = page_noise(page, drawn.shape, last['seed'])
    want = to_uint8(sdedit(pipe, drawn, torch.tensor([7]), last['strength'], noise=eps))
    got = torch.tensor(last['result'], dtype=torch.uint8).reshape(1, 1, 28, 28)
    d = (got.int() - want.int()).abs().max().item()
    if state != 'yes' or (drawn > 128).sum() < 20 or d > MAX_DIFF:
        bad.append(f"clean up: “{text}”, {(drawn > 128).sum().item()} ink pixels, max |Δ| {d}")
    ui.locator('select.ddpm-live-brush').select_option('erase')
    draw_on(page, pad, [[(0.05, 0.6), (0.95, 0.6)], [(0.05, 0.8), (0.95, 0.8)]])
    state, text = press('button.ddpm-live-complete')
    last = handle.evaluate(
        "d => ({image: Array.from(d.ddpmLast.image), mask: Array.from(d.ddpmLast.mask), "
        "result: Array.from(d.ddpmLast.result)})"
    )
    m, img, res = (torch.tensor(last[k]) for k in ('mask', 'image', 'result'))
    m = m.bool()
    if state != 'yes' or m.all() or not m.any() or not (img[m] == res[m]).all():
        bad.append(
            f"complete: “{text}”, {int((~m).sum())} pixels erased, kept ones unchanged: "
            f"{bool((img[m] == res[m]).all())}"
        )
    ui.screenshot(path=str(shot.with_name('live_editing.png')))
    ui.locator('input.ddpm-live-seed').fill('-3')
    state, text = press('button.ddpm-live-clean')
    if state != 'refused' or 'seed' not in text:
        bad.append(f"seed −3: “{text}”")
    ui.locator('input.ddpm-live-seed').fill('1')
    state, text = press('button.ddpm-live-clean')
    if state != 'yes':
        bad.append(f"after the refusal: “{text}”")
    check(
        'editing UI',
        not bad,
        f"a 7 drawn with the mouse, cleaned up as Python does (max |Δ| {d}); erased part "
        f"completed, the rest kept; seed −3 refused, then drawn"
        + ''.join(f"\n     {b}" for b in bad),
    )


class Checks:
    """Named checks: each prints ok or FAIL with its numbers; a failure is kept, the next check
    still runs."""

    def __init__(self):
        self.passed, self.failed = [], []

    def __call__(self, name, ok, detail=''):
        (self.passed if ok else self.failed).append(name)
        print(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}", flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('site', nargs='?', default=str(ROOT / '_docs'))
    p.add_argument('--screenshot', help='where to write a PNG of the sampling UI after drawing')
    a = p.parse_args()
    site = Path(a.site)
    if not (site / 'demo' / 'live.js').is_file():
        sys.exit(
            f"no {site / 'demo' / 'live.js'}: run `python tools/build_demo.py {site}` (make docs) first"
        )
    shot = Path(a.screenshot) if a.screenshot else site / '_screenshots' / 'live_demo.png'

    from playwright.sync_api import sync_playwright, TimeoutError as PlaywrightTimeout
    from ddpm_course.schedule import NoiseSchedule
    from ddpm_course.sampling import dpm_sample
    from ddpm_course.data import to_uint8
    from ddpm_course.metrics import load_classifier
    from ddpm_course.pipeline import load_pretrained

    model, schedule = shipped_model()
    check = Checks()
    httpd = serve(site)
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    demo = base + 'demo/index.html'

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)

        def open_page(url, init_script=None):
            """A page at `url` that records errors and every request that leaves the site (and
            blocks it)."""
            ctx = browser.new_context(viewport={'width': 1100, 'height': 900})
            if init_script:
                ctx.add_init_script(init_script)
            page = ctx.new_page()
            page.errors, page.outside = [], []
            page.on('pageerror', lambda e: page.errors.append(str(e)))
            page.on('console', lambda m: page.errors.append(m.text) if m.type == 'error' else None)
            page.route(
                '**/*',
                lambda route: (
                    route.continue_()
                    if route.request.url.startswith((base, 'data:', 'blob:'))
                    else (page.outside.append(route.request.url), route.abort())
                ),
            )
            page.goto(url, wait_until='load')
            try:
                page.wait_for_function(
                    "() => [...document.querySelectorAll('div.ddpm-live')].every(d => d.dataset.state && d.dataset.state !== 'mounting')",
                    timeout=30_000,
                )
            # a div never mounted: the checks below say which
            except PlaywrightTimeout:
                pass
            return page

        page = open_page(demo)

        # 1. the grid and ᾱ, against Python
        schedules = [
            schedule.to_config(),
            dict(kind='linear', T=1000),
            dict(kind='cosine', T=1000),
            dict(kind='cosine', T=500),
            dict(kind='linear', T=50, beta_start=1e-3, beta_end=0.05),
        ]
        bad, worst_ab = [], 0.0
        for cfg in schedules:
            s = NoiseSchedule.from_config(cfg)
            js_ab = torch.tensor(
                page.evaluate("c => window.ddpmCourse.alphaBars(c)", cfg), dtype=torch.float64
            )
            worst_ab = max(worst_ab, (js_ab - s.alpha_bars).abs().max().item())
            for steps in (1, 2, 3, 5, 10, 15, 20, 25, 50, 100):
                if steps > s.T:
                    continue
                want, got = (
                    dpm_grid(s, steps),
                    page.evaluate("([c, k]) => window.ddpmCourse.timesteps(c, k)", [cfg, steps]),
                )
                if got != want:
                    bad.append(
                        f"{cfg['kind']} T={s.T}, {steps} steps: JS {got} ≠ dpm_sample's {want}"
                    )
        check(
            'grid',
            not bad and worst_ab <= 1e-12,
            f"{len(schedules)} schedules × up to 10 step counts; max |Δᾱ| {worst_ab:.1e}"
            + ''.join(f"\n     {b}" for b in bad[:5]),
        )

        # 2. the same x_T gives the same digits: the defaults, then guidance's other branches (w =
        # 0: the null context
        #    alone; w = 1: the context alone) at fewer steps
        for n, steps, w in ((20, STEPS, GUIDANCE), (10, 5, 0.0), (10, 3, 1.0)):
            classes = torch.arange(n) % 10
            x_T = torch.randn(n, 1, 28, 28, generator=torch.Generator().manual_seed(n + steps))
            want = to_uint8(
                dpm_sample(
                    model,
                    schedule,
                    x_T.shape,
                    steps,
                    context=classes,
                    guidance=w,
                    x_T=x_T,
                    guidance_interval=INTERVAL,
                )
            )
            got, _ = js_sample(page, classes.tolist(), x_T, steps=steps, guidance=w)
            d = (got.int() - want.int()).abs()
            check(
                f'same x_T, same digits (guidance {w:g})',
                d.max() <= MAX_DIFF and d.float().mean() <= MEAN_DIFF,
                f"{n} digits, {steps} steps: max |Δ| {d.max().item()} (≤ {MAX_DIFF}), "
                f"mean |Δ| {d.float().mean().item():.4f} (≤ {MEAN_DIFF}) grey levels of 255",
            )

        shown = page.evaluate('window.ddpmCourse.limits.guidanceDefault')
        check(
            "the page's guidance is the checkpoint's",
            shown == GUIDANCE,
            f"page w = {shown}, config.json w = {GUIDANCE:g} in σ ∈ ({INTERVAL[0]:g}, {INTERVAL[1]:g}]",
        )

        # 3. 100 digits: time, and what the classifier makes of them
        classes = torch.arange(10).repeat_interleave(10)
        got, ms = js_sample(page, classes.tolist(), seed=0)
        t0 = time.time()
        py = to_uint8(
            dpm_sample(
                model,
                schedule,
                (100, 1, 28, 28),
                STEPS,
                context=classes,
                guidance=GUIDANCE,
                guidance_interval=INTERVAL,
                generator=torch.Generator().manual_seed(0),
            )
        )
        py_s = time.time() - t0
        clf = load_classifier()
        acc_js = (clf.predict(got) == classes).float().mean().item() * 100
        acc_py = (clf.predict(py) == classes).float().mean().item() * 100
        print(
            f"     100 digits in the browser: {ms / 1000:.2f} s (single-threaded WebAssembly); in Python here: {py_s:.2f} s"
        )
        check(
            '100 digits: time', ms / 1000 <= MAX_SECONDS, f"{ms / 1000:.2f} s (≤ {MAX_SECONDS} s)"
        )
        check(
            '100 digits: classified as asked',
            abs(acc_js - acc_py) <= ACCURACY_POINTS,
            f"browser {acc_js:.0f}%, Python {acc_py:.0f}% (within {ACCURACY_POINTS} points)",
        )

        # 4. the UIs, as a reader uses them
        sampling, forward = (
            page.locator('div.ddpm-live[data-demo=sampling]'),
            page.locator('div.ddpm-live[data-demo=forward]'),
        )
        sampling.locator('button.ddpm-live-draw').click()
        page.wait_for_function(
            "() => document.querySelector('div.ddpm-live[data-demo=sampling]').dataset.drawn",
            timeout=120_000,
        )
        status = sampling.locator('.ddpm-live-status').inner_text()
        drawn = sampling.get_attribute('data-drawn') == 'yes' and ' s: DPM-Solver' in status
        shot.parent.mkdir(parents=True, exist_ok=True)
        sampling.screenshot(path=str(shot))
        t = forward.locator('input[type=range]')
        ab = []
        for v in ('0', t.get_attribute('max')):
            t.fill(v)
            ab.append(float(forward.get_attribute('data-alpha-bar')))
        ok_fwd = ab[0] > 0.99 and ab[1] < 0.01 and 'ᾱ_t' in forward.inner_text()
        note = (
            'live in your browser' in sampling.inner_text().lower()
            and 'live in your browser' in forward.inner_text().lower()
        )
        check(
            'UIs',
            drawn and ok_fwd and note,
            f"sampling: “{status}”; forward: ᾱ {ab[0]:.4f} at t = 0, {ab[1]:.2e} at t = T-1; screenshot {shot}",
        )
        check(
            'no outside requests, no errors',
            not page.outside and not page.errors,
            ''.join(f"\n     outside: {u}" for u in page.outside)
            + ''.join(f"\n     error: {e}" for e in page.errors),
        )
        # 7. the API cannot freeze the tab, and refuses bad values
        check_responsive(check, page)
        check_refusals(check, page)
        check_ui_fields(check, page)
        # 8. editing (chapter 06b): the API against Python, and the UI
        pipe = load_pretrained()
        check_edit(check, page, pipe)
        check_edit_ui(check, page, pipe, shot)
        check(
            'no outside requests, no errors, after editing',
            not page.outside and not page.errors,
            ''.join(f"\n     outside: {u}" for u in page.outside)
            + ''.join(f"\n     error: {e}" for e in page.errors),
        )
        page.context.close()

        # 5. a browser without WebAssembly
        page = open_page(demo, init_script='delete window.WebAssembly;')
        text = page.locator('div.ddpm-live[data-demo=sampling]').inner_text()
        states = page.evaluate(
            "[...document.querySelectorAll('div.ddpm-live')].map(d => d.dataset.demo + ':' + d.dataset.state)"
        )
        check(
            'without WebAssembly',
            'needs WebAssembly' in text
            and states == ['sampling:no-wasm', 'forward:ready', 'editing:no-wasm']
            and not page.outside,
            f"{states}; the sampling UI says: “{text.splitlines()[-1]}”",
        )
        page.context.close()

        # 6. the site's own pages that hold a demo
        # a real div, not one quoted in code (&lt;div)
        mount = re.compile(r'<div[^>]*\bclass="[^"]*\bddpm-live\b')
        holders = [
            f
            for f in sorted(site.rglob('*.html'))
            if f.parent.name != 'demo' and mount.search(f.read_text(errors='ignore'))
        ]
        for f in holders:
            rel = f.relative_to(site).as_posix()
            page = open_page(base + rel)
            states = page.evaluate(
                "[...document.querySelectorAll('div.ddpm-live')].map(d => d.dataset.demo + ':' + (d.dataset.state || 'not mounted'))"
            )
            check(
                f'page {rel}',
                all(s.endswith(':ready') for s in states) and not page.outside,
                ', '.join(states),
            )
            page.context.close()
        if not holders:
            print("     (no page of the site holds a ddpm-live div yet)")
        browser.close()
    httpd.shutdown()
    print(f"\ndemo: {len(check.passed)} passed, {len(check.failed)} failed")
    sys.exit(1 if check.failed else 0)


if __name__ == '__main__':
    main()
