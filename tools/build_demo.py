"""Build the live demo: everything the browser needs in one folder, nothing from a CDN.

Writes DEMO_DIR (`--out DIR`, or SITE_DIR/demo/):
  live.js, ddpm.js, live.css   our code (demo/src/): the UIs, and the sampler mirroring ddpm_course
  model.onnx                   the shipped model, exported by tools/export_onnx.py
  config.json                  the shipped checkpoint's config.json (model and schedule settings)
  sampler.json                 what the JavaScript takes from ddpm_course: DPM_LAMBDA_MIN, EditConfig's strength
  digits.json                  one real MNIST digit per class for the forward-process UI, and that widget's T
  ort/                         onnxruntime-web's WebAssembly build (single-threaded use), from demo/'s locked npm install
  index.html                   a page holding the three demos (tools/check_demo.py tests it; readers may use it too)

`make docs` writes demo/dist/ (`--out demo/dist`), which tools/build_docs.py copies to <site>/demo/ and loads as a
module on every page; a page shows a demo where it holds `<div class="ddpm-live" data-demo="sampling"></div>` (or
`data-demo="forward"`). Runs offline: `npm ci --offline` from npm's cache, else from the registry.

Usage: python tools/build_demo.py --out DEMO_DIR    (make docs: --out demo/dist)
       python tools/build_demo.py [SITE_DIR]        (into an already built site: SITE_DIR/demo/, default _docs)"""

import argparse, base64, importlib, inspect, json, shutil, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / 'demo'
ORT = DEMO / 'node_modules' / 'onnxruntime-web'
# The runtime's WebAssembly flavour: the ES module API (no bundled loader), the wasm binary and its .mjs loader.
# Since onnxruntime-web 1.19 one binary serves any thread count; with numThreads = 1 it needs no SharedArrayBuffer.
ORT_FILES = ['ort.wasm.min.mjs', 'ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm']

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ddpm_course: live demos</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<style>body {{ font: 15px/1.5 system-ui, sans-serif; max-width: 960px; margin: 24px auto; padding: 0 16px; color: #223; }}</style>
</head><body>
<h1>ddpm_course, live</h1>
<p>The course's widgets running in your browser: the shipped model ({params}) exported to ONNX and run by
onnxruntime-web's WebAssembly build, with the noise schedule, classifier-free guidance and DPM-Solver++(2M) written
in JavaScript to match the Python package. Nothing is sent anywhere; nothing is loaded from another site.</p>
<div class="ddpm-live" data-demo="sampling"></div>
<div class="ddpm-live" data-demo="forward"></div>
<div class="ddpm-live" data-demo="editing"></div>
<script type="module" src="live.js"></script>
</body></html>
"""


def npm_ci():
    "Install demo/node_modules from package-lock.json: offline from npm's cache when it can, else from the registry."
    lock = json.loads((DEMO / 'package-lock.json').read_text())
    want = lock['packages']['node_modules/onnxruntime-web']['version']
    have = (
        json.loads((ORT / 'package.json').read_text())['version']
        if (ORT / 'package.json').is_file()
        else None
    )
    if have == want:
        return want
    if not shutil.which('npm'):
        sys.exit(
            "build_demo: npm not found; install Node.js and npm (Debian: apt-get install nodejs npm)"
        )
    base = ['npm', 'ci', '--ignore-scripts', '--no-audit', '--no-fund']
    for cmd in (base + ['--offline'], base):
        r = subprocess.run(cmd, cwd=DEMO, capture_output=True, text=True)
        if r.returncode == 0:
            return want
        print(
            f"build_demo: `{' '.join(cmd)}` failed{', trying the registry' if '--offline' in cmd else ''}:\n{r.stderr[-2000:]}",
            file=sys.stderr,
        )
    sys.exit("build_demo: could not install onnxruntime-web from demo/package-lock.json")


def forward_T(default: int = 1000) -> int:
    "The T of chapter 01's forward_widget (its default argument), so the browser slider matches the notebook's."
    for module in ('ddpm_course.widgets', 'ddpm_course.schedule'):
        try:
            return int(
                inspect.signature(importlib.import_module(module).forward_widget)
                .parameters['T']
                .default
            )
        except (ImportError, AttributeError, KeyError, TypeError, ValueError):
            pass
    return default


def sampler_settings() -> dict:
    """The package's floor on λ for DPM-Solver++'s grid (`DPM_LAMBDA_MIN`; None where the package has none: no floor),
    and the strength of an edit (`EditConfig`'s default and range, chapter 06b)."""
    import ddpm_course.sampling as sampling
    from ddpm_course.editing import EditConfig

    f = EditConfig.declaration('strength')
    edit = dict(strength=f.default, lo=f.metadata['lo'], hi=f.metadata['hi'])
    return dict(dpm_lambda_min=getattr(sampling, 'DPM_LAMBDA_MIN', None), edit=edit)


def real_digits() -> dict:
    "The first digit of each class in MNIST-10k, uint8 base64, for the forward-process UI."
    from ddpm_course.data import load_mnist10k

    images, labels = load_mnist10k()
    idx = [int((labels == k).nonzero()[0]) for k in range(10)]
    x = images[idx, 0]  # [10, 28, 28] uint8
    return dict(
        labels=[int(labels[i]) for i in idx],
        height=x.shape[1],
        width=x.shape[2],
        T=forward_T(),
        images=base64.b64encode(x.contiguous().numpy().tobytes()).decode(),
    )


def build(out) -> Path:
    "Write the demo into the folder `out` (replaced; see the module docstring); returns it."
    sys.path.insert(0, str(ROOT / 'tools'))
    from export_onnx import export_onnx

    out = Path(out)
    if out.exists():
        if any(out.iterdir()) and not (out / 'live.js').is_file():
            sys.exit(
                f"build_demo: {out} is not empty and holds no earlier demo; refusing to replace it"
            )
        shutil.rmtree(out)
    (out / 'ort').mkdir(parents=True)
    version = npm_ci()
    for f in ORT_FILES:
        shutil.copy2(ORT / 'dist' / f, out / 'ort' / f)
    for f in sorted((DEMO / 'src').iterdir()):
        if f.suffix in ('.js', '.css'):
            shutil.copy2(f, out / f.name)
    config = export_onnx(out / 'model.onnx')
    (out / 'config.json').write_text(json.dumps(config, indent=2))
    (out / 'sampler.json').write_text(json.dumps(sampler_settings()))
    (out / 'digits.json').write_text(json.dumps(real_digits()))
    m = config['model']
    (out / 'index.html').write_text(
        PAGE.format(params=f"n_feat {m['n_feat']}, T = {m['timesteps']}, {m['n_classes']} classes")
    )
    size = sum(f.stat().st_size for f in out.rglob('*') if f.is_file())
    print(
        f"build_demo: {out} ({size / 2**20:.1f} MiB; onnxruntime-web {version}, model.onnx {(out / 'model.onnx').stat().st_size / 1e3:.0f} kB)"
    )
    return out


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        'site', nargs='?', default=str(ROOT / '_docs'), help='a built site: write SITE/demo/'
    )
    p.add_argument('--out', help='write the demo into this folder instead (make docs: demo/dist)')
    a = p.parse_args()
    build(a.out or Path(a.site) / 'demo')
