// live.js: the course's widgets, live in the reader's browser with no Python kernel.
//
// Loaded as a module on every page of the docs site. It mounts a small UI into each
//   <div class="ddpm-live" data-demo="sampling"></div>   the shipped model drawing digits (chapter 04's sampling_panel)
//   <div class="ddpm-live" data-demo="forward"></div>    a real digit drowning in noise (chapter 01's forward_widget)
// and offers `await window.ddpmCourse.sample({classes, steps, guidance, seed, xT, onStep})` to pages and tests.
//
// Everything it loads sits beside it in <site>/demo/, written by tools/build_demo.py: model.onnx (the shipped
// model, exported with torch.onnx.export), config.json (the checkpoint's own), sampler.json (the sampler's settings
// in the Python package), digits.json (real MNIST digits) and ort/ (onnxruntime-web's single-threaded WebAssembly build, from the locked npm install in demo/). Nothing comes
// from another site, and the model is only fetched once someone asks for digits.
import * as ddpm from './ddpm.js';

const HERE = new URL('.', import.meta.url);                    // <site>/demo/, wherever the page itself lives
const asset = name => new URL(name, HERE).href;
const NO_WASM = 'This live demo needs WebAssembly, which this browser does not offer (or has switched off). ' +
                'The notebook version of this widget runs the same model in Jupyter.';

// ---------------------------------------------------------------------------------------------------------------
// The model: onnxruntime-web, loaded on first use

let runtime = null;                                            // a promise of {ort, session, config, schedule, lambdaMin}
let settings = null;                                           // a promise of sampler.json's contents

/** What the sampler takes from the Python package at build time: {dpm_lambda_min} (null: no floor). */
function loadSettings() {
  settings ??= fetch(asset('sampler.json')).then(r => r.json());
  return settings;
}

function loadRuntime() {
  runtime ??= (async () => {
    if (typeof WebAssembly !== 'object') throw new Error(NO_WASM);
    const ort = await import(asset('ort/ort.wasm.min.mjs'));
    ort.env.wasm.numThreads = 1;                               // one thread: no SharedArrayBuffer, no special headers
    ort.env.wasm.wasmPaths = asset('ort/');                    // the local copy, never a CDN
    const [config, session, { dpm_lambda_min }] = await Promise.all([
      fetch(asset('config.json')).then(r => r.json()),
      ort.InferenceSession.create(asset('model.onnx'), { executionProviders: ['wasm'] }),
      loadSettings(),
    ]);
    return { ort, session, config, schedule: ddpm.scheduleFromConfig(config.schedule), lambdaMin: dpm_lambda_min ?? -Infinity };
  })();
  runtime.catch(() => { runtime = null; });                    // a failed load may be retried
  return runtime;
}

const CHUNK = 64;                                              // images per network call: small batches stay in cache

/** The exported UNet as a noise predictor `model(x, t, c, n) -> ε̂`: one time step `t` for the whole batch,
 *  run CHUNK images at a time (each image's ε̂ depends on that image alone, so chunking changes nothing else). */
function predictor({ ort, session, config }) {
  const [C, H, W] = imageShape(config), dim = config.model.context_dim ?? config.model.n_classes, size = C * H * W;
  return async (x, t, c, n) => {
    c ??= new Float32Array(n * dim);                           // no context: the null context, zeros
    const eps = new Float32Array(n * size);
    for (let i = 0; i < n; i += CHUNK) {
      const b = Math.min(CHUNK, n - i);
      const feeds = {                                          // the ONNX graph's inputs (tools/export_onnx.py)
        x: new ort.Tensor('float32', x.subarray(i * size, (i + b) * size), [b, C, H, W]),
        t: new ort.Tensor('int64', new BigInt64Array(b).fill(BigInt(t)), [b]),
        c: new ort.Tensor('float32', c.subarray(i * dim, (i + b) * dim), [b, dim]),
      };
      eps.set((await session.run(feeds)).eps.data, i * size);
    }
    return eps;
  };
}

const imageShape = config => [config.model.in_channels, ...config.model.image_size];

// ---------------------------------------------------------------------------------------------------------------
// The API

let queue = Promise.resolve();                                 // one drawing at a time: calls wait their turn

/** Draw one digit per entry of `classes` with DPM-Solver++(2M) and classifier-free guidance, as dpm_sample does.
 *  Returns {images: Uint8Array [n·H·W] (0 = black background, as ddpm_course.data.to_uint8), n, height, width}.
 *  `xT` (Float32Array [n·C·H·W]) replaces the seeded starting noise; `onStep({step, steps, t, images, n, height,
 *  width, ms})` is awaited after each network call with every image's current x̂₀. */
async function sample({ classes, steps = 10, guidance = 2, seed = 0, xT = null, onStep = null } = {}) {
  const run = queue.then(async () => {
    const rt = await loadRuntime();
    const { config, schedule, lambdaMin } = rt;
    const [C, H, W] = imageShape(config), nClasses = config.model.n_classes;
    if (config.model.context_dim) throw new Error('this demo draws from class-conditional models, not text ones');
    if (!Array.isArray(classes) || classes.length < 1 || !classes.every(k => Number.isInteger(k) && k >= 0 && k < nClasses))
      throw new Error(`classes: expected a non-empty array of digits 0 … ${nClasses - 1}, got ${JSON.stringify(classes)}`);
    if (!Number.isInteger(steps) || steps < 1 || steps > schedule.T)
      throw new Error(`steps: expected an integer number of network calls in 1 … ${schedule.T}, got ${steps}`);
    if (guidance !== null && !Number.isFinite(guidance)) throw new Error(`guidance: expected a number or null, got ${guidance}`);
    const n = classes.length, size = n * C * H * W;
    if (xT !== null && xT.length !== size) throw new Error(`xT: expected ${size} numbers (${n}×${C}×${H}×${W}), got ${xT.length}`);
    const start = performance.now();
    const calls = ddpm.dpmTimesteps(schedule, steps, lambdaMin).length;
    const x = await ddpm.dpmSample(predictor(rt), schedule, {
      n, steps, guidance, lambdaMin, context: ddpm.oneHot(classes, nClasses),
      xT: xT !== null ? Float32Array.from(xT) : ddpm.randn(size, seed),
      onStep: onStep && (({ i, t, x0 }) => onStep({ step: i + 1, steps: calls, t, images: ddpm.toUint8(x0),
                                                    n, height: H, width: W, ms: performance.now() - start })),
    });
    return { images: ddpm.toUint8(x), n, height: H, width: W, ms: performance.now() - start };
  });
  queue = run.catch(() => {});
  return run;
}

window.ddpmCourse = {
  sample,
  /** The grid dpmSample visits for a schedule config and a number of steps (tests compare it with Python's). */
  timesteps: async (scheduleConfig, steps) => ddpm.dpmTimesteps(ddpm.scheduleFromConfig(scheduleConfig), steps,
                                                                (await loadSettings()).dpm_lambda_min ?? -Infinity),
  /** ᾱ_t of a schedule config, float64 (tests compare it with NoiseSchedule.alpha_bars). */
  alphaBars: scheduleConfig => Array.from(ddpm.scheduleFromConfig(scheduleConfig).alphaBars),
  ddpm,
};

// ---------------------------------------------------------------------------------------------------------------
// Drawing helpers

/** Paint `count` greyscale images (uint8, h×w each) into a canvas as a grid of `cols` columns, `scale`× enlarged. */
function paintGrid(canvas, images, count, h, w, cols, scale = 3, gap = 2) {
  const rows = Math.ceil(count / cols);
  const pw = cols * (w + gap) - gap, ph = rows * (h + gap) - gap;
  const small = new ImageData(pw, ph);
  small.data.fill(255);                                        // white gaps between the digits
  for (let k = 0; k < count; k++) {
    const ox = (k % cols) * (w + gap), oy = Math.floor(k / cols) * (h + gap);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const v = images[k * h * w + y * w + x], p = 4 * ((oy + y) * pw + ox + x);
      small.data[p] = small.data[p + 1] = small.data[p + 2] = v;
    }
  }
  canvas.width = pw * scale; canvas.height = ph * scale;
  const tmp = el('canvas', { width: pw, height: ph });
  tmp.getContext('2d').putImageData(small, 0, 0);
  const ctx = canvas.getContext('2d');
  ctx.imageSmoothingEnabled = false;                           // keep the pixels square
  ctx.drawImage(tmp, 0, 0, canvas.width, canvas.height);
}

/** A tiny element builder: el('button', {class: 'x', onclick: f}, 'text', child, ...). */
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== false && v !== null) e.setAttribute(k, v === true ? '' : v);
  }
  e.append(...children);
  return e;
}

function labelled(text, input) { return el('label', {}, text, ' ', input); }
const nextFrame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));   // let the page repaint

function header(div, title, widget, chapter) {
  div.replaceChildren(
    el('div', { class: 'ddpm-live-title' }, title),
    el('div', { class: 'ddpm-live-note' }, 'Live in your browser: the browser version of the notebook\'s ',
       el('code', {}, widget), ` widget (${chapter}), running here in JavaScript with no Python kernel.`));
}

// ---------------------------------------------------------------------------------------------------------------
// The sampling UI (chapter 04's sampling_panel)

function mountSampling(div) {
  header(div, 'Draw digits with the shipped model', 'sampling_panel', 'chapter 04');
  if (typeof WebAssembly !== 'object') { div.append(el('div', { class: 'ddpm-live-error' }, NO_WASM)); return 'no-wasm'; }
  const digits = Array.from({ length: 10 }, (_, k) => el('input', { type: 'checkbox', value: k, checked: true }));
  const perDigit = el('select', {}, ...[1, 2, 4, 8, 10].map(v => el('option', { value: v, selected: v === 8 }, String(v))));
  const guidance = el('input', { type: 'range', min: 0, max: 6, step: 0.5, value: 2 });
  const steps = el('input', { type: 'range', min: 1, max: 50, step: 1, value: 10 });
  const seed = el('input', { type: 'number', value: 0, min: 0, step: 1, class: 'ddpm-live-seed' });
  const gOut = el('output', {}, '2'), sOut = el('output', {}, '10');
  guidance.addEventListener('input', () => { gOut.textContent = guidance.value; });
  steps.addEventListener('input', () => { sOut.textContent = steps.value; });
  const button = el('button', { class: 'ddpm-live-draw' }, 'draw');
  const status = el('div', { class: 'ddpm-live-status' }, 'Press draw: the model (0.4 MB) and the runtime load on first use.');
  const canvas = el('canvas', { class: 'ddpm-live-canvas' });
  div.append(
    el('div', { class: 'ddpm-live-row' }, 'digits ',
       ...digits.map((box, k) => el('label', { class: 'ddpm-live-digit' }, box, String(k))),
       labelled('× each', perDigit)),
    el('div', { class: 'ddpm-live-row' }, labelled('guidance w', guidance), gOut, labelled('steps', steps), sOut,
       labelled('seed', seed), button),
    status, canvas);

  button.addEventListener('click', async () => {
    const chosen = digits.filter(b => b.checked).map(b => Number(b.value)), each = Number(perDigit.value);
    if (!chosen.length) { status.textContent = 'Pick at least one digit.'; return; }
    const classes = chosen.flatMap(k => Array(each).fill(k));  // one row per digit
    button.disabled = true;
    status.textContent = 'Loading the model…';
    try {
      const res = await sample({
        classes, steps: Number(steps.value), guidance: Number(guidance.value), seed: Number(seed.value),
        onStep: async ({ step, steps: calls, t, images, height, width, ms }) => {   // watch each x̂₀ sharpen
          paintGrid(canvas, images, classes.length, height, width, each, 2);
          status.textContent = `step ${step} of ${calls} (t = ${t}): each image is the current x̂₀ · ${(ms / 1000).toFixed(2)} s`;
          await nextFrame();
        },
      });
      paintGrid(canvas, res.images, res.n, res.height, res.width, each, 2);
      status.textContent = `${res.n} digits in ${(res.ms / 1000).toFixed(2)} s: DPM-Solver++(2M), ${steps.value} steps, ` +
                           `guidance ${guidance.value}, seed ${seed.value}, one row per digit.`;
      div.dataset.drawn = 'yes';
    } catch (e) {
      status.textContent = `Could not draw: ${e.message}`;
      div.dataset.drawn = 'error';
    } finally { button.disabled = false; }
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The forward-process UI (chapter 01's forward_widget): plain JavaScript, no model

async function mountForward(div) {
  header(div, 'A digit drowning in noise', 'forward_widget', 'chapter 01');
  const data = await fetch(asset('digits.json')).then(r => r.json());
  const { height: h, width: w, T } = data;
  const pixels = Uint8Array.from(atob(data.images), ch => ch.charCodeAt(0));          // uint8 [n·h·w]
  const x0s = Array.from(data.labels, (_, k) => Float32Array.from(pixels.subarray(k * h * w, (k + 1) * h * w), v => v / 127.5 - 1));
  const schedules = { linear: ddpm.linearSchedule(T), cosine: ddpm.cosineSchedule(T) };
  const noise = ddpm.randn(h * w, 0);                          // one fixed ε, so moving t changes only the mix
  const digit = el('select', {}, ...data.labels.map((lab, k) => el('option', { value: k }, `digit ${lab}`)));
  const kind = el('select', {}, el('option', { value: 'linear' }, 'linear'), el('option', { value: 'cosine' }, 'cosine'));
  // the paper's t = 0 … T, as the notebook's slider: t = 0 is the clean digit, t ≥ 1 is the library's index t − 1
  const t = el('input', { type: 'range', min: 0, max: T, step: 1, value: Math.floor(T / 4), class: 'ddpm-live-t' });
  const readout = el('div', { class: 'ddpm-live-status' });
  const canvas = el('canvas', { class: 'ddpm-live-canvas' });
  div.append(el('div', { class: 'ddpm-live-row' }, labelled('t', t), labelled('schedule', kind), digit), readout, canvas);

  function redraw() {
    const s = schedules[kind.value], step = Number(t.value), ab = step === 0 ? 1 : s.alphaBars[step - 1];
    const a = Math.sqrt(ab), b = Math.sqrt(1 - ab), x0 = x0s[Number(digit.value)];
    const xt = x0.map((v, i) => a * v + b * noise[i]);        // q(x_t | x_0) = sqrt(ᾱ_t) x_0 + sqrt(1 − ᾱ_t) ε
    paintGrid(canvas, ddpm.toUint8(concat(x0, xt)), 2, h, w, 2, 5, 4);
    readout.textContent = `${kind.value}, t = ${step}, ᾱ_t = ${ab.toFixed(3)}: ` +
                          `x_t = ${a.toFixed(3)}·x₀ + ${b.toFixed(3)}·ε   (left x₀, right x_t)`;
    div.dataset.alphaBar = ab;
  }
  for (const input of [t, kind, digit]) input.addEventListener('input', redraw);
  redraw();
}

function concat(a, b) { const out = new Float32Array(a.length + b.length); out.set(a); out.set(b, a.length); return out; }

// ---------------------------------------------------------------------------------------------------------------
// Mount every demo on the page

const MOUNTS = { sampling: mountSampling, forward: mountForward };

/** Mount a UI into each demo div not yet mounted; `data-state` says how it went: ready, no-wasm or error. */
function mountAll() {
  const divs = document.querySelectorAll('div.ddpm-live:not([data-state])');
  if (divs.length && !document.querySelector('link[data-ddpm-live]'))
    document.head.append(el('link', { rel: 'stylesheet', href: asset('live.css'), 'data-ddpm-live': true }));
  for (const div of divs) {
    const mount = MOUNTS[div.dataset.demo];
    div.dataset.state = 'mounting';
    if (!mount) { div.textContent = `Unknown live demo ${JSON.stringify(div.dataset.demo)}.`; div.dataset.state = 'error'; continue; }
    Promise.resolve().then(() => mount(div)).then(state => { div.dataset.state = state ?? 'ready'; }, e => {
      div.append(el('div', { class: 'ddpm-live-error' }, `This live demo could not start: ${e.message}`));
      div.dataset.state = 'error';
    });
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mountAll);
else mountAll();
