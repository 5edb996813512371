// live.js: the course's widgets, live in the reader's browser with no Python kernel.
//
// Loaded as a module on every page of the docs site. It mounts a small UI into each
//   <div class="ddpm-live" data-demo="sampling"></div>   the shipped model drawing digits (chapter 05's sampling_panel)
//   <div class="ddpm-live" data-demo="forward"></div>    a real digit drowning in noise (chapter 01's forward_widget)
//   <div class="ddpm-live" data-demo="editing"></div>    draw a digit, then clean it up or complete it (chapter 06b)
// and offers `await window.ddpmCourse.sample({classes, steps, guidance, seed, xT, onStep, signal})`,
// `await window.ddpmCourse.edit({image, mask, classes, strength, steps, guidance, seed, noise, onStep, signal})` and
// `window.ddpmCourse.cancel()` to pages and tests. Drawing runs in a Web Worker (worker.js, sampler.js), so the page
// stays responsive; each call draws at most 400 images, and bad arguments are refused with a message naming them.
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
// The API: checks here, drawing in a Web Worker (worker.js → sampler.js), so the page stays responsive

export const MAX_IMAGES = 400;                                 // images per call: more would hold the model for minutes
export const GUIDANCE_RANGE = [0, 10];                         // classifier-free guidance weights the demo accepts
export const GUIDANCE_DEFAULT = 1.5;                          // the shipped checkpoint's recommended weight (config.json's
                                                              // sampling; tools/check_demo.py checks they agree)
export const MAX_SEED = 2 ** 32 - 1;                           // the generator's state is 32 bits (ddpm.randn)

let settings = null;                                           // a promise of sampler.json's contents
let configP = null;                                            // a promise of the checkpoint's config.json

/** What the sampler takes from the Python package at build time: {dpm_lambda_min} (null: no floor) and
 *  {edit: {strength, lo, hi}} (EditConfig's strength: default and range). */
function loadSettings() {
  settings ??= fetch(asset('sampler.json')).then(r => r.json());
  return settings;
}

function loadConfig() {
  configP ??= fetch(asset('config.json')).then(r => r.json());
  configP.catch(() => { configP = null; });
  return configP;
}

const shown = v => (typeof v === 'string' ? JSON.stringify(v) : v === undefined || v === '' ? 'nothing' : String(v));

/** Check the arguments of `sample` against the model's config; returns them normalised, or throws an Error whose
 *  message names the argument, the range it must lie in and the value it got. The UI checks its fields with it too. */
export function checkSampleArgs({ classes, steps = 10, guidance = GUIDANCE_DEFAULT, seed = 0, xT = null } = {}, config) {
  const nClasses = config.model.n_classes, T = config.schedule.T;
  const [C, H, W] = imageShape(config);
  if (config.model.context_dim) throw new Error('this demo draws from class-conditional models, not text ones');
  if (!Array.isArray(classes) || classes.length < 1 || !classes.every(k => Number.isInteger(k) && k >= 0 && k < nClasses))
    throw new Error(`classes: expected a non-empty array of digits 0 … ${nClasses - 1}, got ${JSON.stringify(classes)}`);
  if (classes.length > MAX_IMAGES)
    throw new Error(`classes: at most ${MAX_IMAGES} images per call, got ${classes.length}; draw them in several calls`);
  if (!Number.isInteger(steps) || steps < 1 || steps > T)
    throw new Error(`steps: expected a whole number of network calls from 1 to ${T}, got ${shown(steps)}`);
  const [gMin, gMax] = GUIDANCE_RANGE;
  if (guidance !== null && !(typeof guidance === 'number' && guidance >= gMin && guidance <= gMax))
    throw new Error(`guidance: expected a number from ${gMin} to ${gMax} (or null for none), got ${shown(guidance)}`);
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED))
    throw new Error(`seed: expected a whole number from 0 to ${MAX_SEED}, got ${shown(seed)}`);
  const size = classes.length * C * H * W;
  if (xT !== null && xT?.length !== size)
    throw new Error(`xT: expected ${size} numbers (${classes.length}×${C}×${H}×${W}), got ${xT?.length ?? shown(xT)}`);
  return { classes: [...classes], steps, guidance, seed, xT: xT === null ? null : Float32Array.from(xT) };
}

const imageShape = config => [config.model.in_channels, ...config.model.image_size];

/** Check the arguments of `edit` against the model's config and sampler.json; returns them normalised as `sample`'s
 *  arguments plus `edit` = {x0 (float in [-1, 1]), mask (Uint8Array or null), strength, noise}, or throws an Error
 *  whose message names the argument. `image` holds uint8 grey levels (0 background, 255 ink) of one image per class. */
export function checkEditArgs({ image, mask = null, classes, strength, steps = 10, guidance = GUIDANCE_DEFAULT, seed = 0,
                                noise = null } = {}, config, settings) {
  const args = checkSampleArgs({ classes, steps, guidance, seed }, config);
  const [C, H, W] = imageShape(config), n = args.classes.length, size = n * C * H * W;
  const what = `${n}×${C}×${H}×${W} = ${size} values (one ${H}×${W} image per class)`;
  const pixels = (v, name, ok, range) => {
    if (!(ArrayBuffer.isView(v) || Array.isArray(v)) || v.length !== size)
      throw new Error(`${name}: expected a Uint8Array of ${what}, got ${v?.length ?? shown(v)}${v?.length ? ' values' : ''}`);
    for (let i = 0; i < v.length; i++)
      if (!ok(v[i])) throw new Error(`${name}: expected ${range} in every pixel, got ${shown(v[i])} at ${i}`);
    return Uint8Array.from(v);
  };
  const x0 = Float32Array.from(pixels(image, 'image', v => Number.isInteger(v) && v >= 0 && v <= 255, '0 … 255'),
                               v => v / 127.5 - 1);                 // to_model_range
  const keep = mask === null || mask === undefined ? null : pixels(mask, 'mask', v => v === 0 || v === 1, '0 or 1');
  const { strength: fallback, lo, hi } = settings.edit;
  strength ??= keep ? 1 : fallback;                                 // inpainting redraws the hole from pure noise
  if (!(typeof strength === 'number' && strength >= lo && strength <= hi))
    throw new Error(`strength: expected a number from ${lo} to ${hi}, got ${shown(strength)}`);
  const top = ddpm.strengthStep(strength, config.schedule.T);
  if (args.steps > top + 1)
    throw new Error(`steps: expected at most ${top + 1} at strength ${strength} (steps ${top} … 0), got ${args.steps}`);
  if (noise !== null && !(noise?.length === size && Array.from(noise).every(Number.isFinite)))
    throw new Error(`noise: expected ${what} finite numbers, got ${noise?.length ?? shown(noise)}`);
  return { ...args, edit: { x0, mask: keep, strength, noise: noise === null ? null : Float32Array.from(noise) } };
}

let worker = null, nextId = 1;
const pending = new Map();                                     // id → {onMessage}

/** The Web Worker that draws (created on first use); null where this browser cannot make one. */
function getWorker() {
  if (worker !== null) return worker;
  try {
    worker = new Worker(asset('worker.js'), { type: 'module' });
    worker.onmessage = ({ data }) => pending.get(data.id)?.onMessage(data);
    worker.onerror = e => {                                    // the worker could not start: fail what waits on it
      for (const p of pending.values()) p.onMessage({ error: `the drawing worker failed: ${e.message ?? e}` });
      worker = false;
    };
  } catch { worker = false; }
  return worker;
}

/** Run checked arguments in the worker (or, without one, in the page, pausing between chunks). */
function drawIn(args, onStep, signal) {
  const w = getWorker();
  if (!w) return import('./sampler.js').then(s => s.drawDigits(args, { onStep, isCancelled: () => signal.aborted }));
  return new Promise((resolve, reject) => {
    const id = nextId++;
    let steps = Promise.resolve();                             // onStep calls, in order, each awaited
    const stop = () => w.postMessage({ cancel: id });
    signal.addEventListener('abort', stop, { once: true });
    pending.set(id, { onMessage: data => {
      if (data.step) { if (onStep) steps = steps.then(() => onStep(data.step)).catch(() => {}); return; }
      pending.delete(id);
      signal.removeEventListener('abort', stop);
      if (data.result) steps.then(() => resolve(data.result));
      else { const e = new Error(data.error); e.name = data.name ?? 'Error'; reject(e); }
    } });
    w.postMessage({ id, args: { ...args, xT: args.xT } });
  });
}

function abortError() { const e = new Error('cancelled: the drawing was stopped before it finished'); e.name = 'AbortError'; return e; }

let queue = Promise.resolve();                                 // one drawing at a time: calls wait their turn
const running = new Set();                                     // AbortControllers of calls not yet finished

/** Draw one digit per entry of `classes` (at most MAX_IMAGES) with DPM-Solver++(2M) and classifier-free guidance,
 *  as dpm_sample does, in a Web Worker. Returns {images: Uint8Array [n·H·W] (0 = black background, as
 *  ddpm_course.data.to_uint8), n, height, width, ms}. `xT` (Float32Array [n·C·H·W]) replaces the seeded starting
 *  noise; `onStep({step, steps, t, images, n, height, width, ms})` gets every image's x̂₀ after each network call;
 *  `signal` (an AbortSignal) or `cancel()` stops it (the promise rejects with an AbortError). Bad arguments are
 *  refused at once with a message naming them: guidance in GUIDANCE_RANGE (or null), seed a whole number 0 … 2³²−1. */
async function sample({ signal = null, onStep = null, ...args } = {}) {
  return run(checkSampleArgs(args, await loadConfig()), signal, onStep);
}

/** Queue checked arguments for the worker: one drawing at a time, each cancellable. */
function run(checked, signal, onStep) {
  const control = new AbortController();
  if (signal?.aborted) return Promise.reject(abortError());
  signal?.addEventListener('abort', () => control.abort(), { once: true });
  running.add(control);
  const job = queue.then(async () => {
    if (control.signal.aborted) throw abortError();
    if (typeof WebAssembly !== 'object') throw new Error(NO_WASM);
    return drawIn(checked, onStep, control.signal);
  }).finally(() => running.delete(control));
  queue = job.catch(() => {});
  return job;
}

/** Edit one 28×28 image per entry of `classes`, as ddpm_course.editing does with DPM-Solver++(2M) in `steps` calls:
 *  SDEdit toward the classes at `strength` (default EditConfig's, 0.8), or with a `mask` (1 where pixels are kept)
 *  inpainting by replacement (default strength 1: the rest drawn anew). `image` is a Uint8Array of grey levels, 0 the
 *  background and 255 the ink, images one after another; `noise` (Float32Array) replaces the seeded noise ε (e.g.
 *  Python's), `seed` draws it with ddpm.randn otherwise. Returns {images, n, height, width, ms} as `sample` does;
 *  bad arguments are refused at once with a message naming them. */
async function edit({ signal = null, onStep = null, ...args } = {}) {
  const [config, settings] = await Promise.all([loadConfig(), loadSettings()]);
  return run(checkEditArgs(args, config, settings), signal, onStep);
}

/** Stop every drawing, running or waiting its turn. */
function cancel() { for (const c of running) c.abort(); }

window.ddpmCourse = {
  sample,
  edit,
  cancel,
  limits: { maxImages: MAX_IMAGES, guidance: GUIDANCE_RANGE, maxSeed: MAX_SEED, guidanceDefault: GUIDANCE_DEFAULT },
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
// The sampling UI (chapter 05's sampling_panel)

/** `data-per-digit="1"` sets how many of each digit are drawn at first; `data-autodraw` draws as soon as the page
 *  has loaded (the home page's first screen). While drawing, a cancel button stops it. */
function mountSampling(div) {
  header(div, 'Draw digits with the shipped model', 'sampling_panel', 'chapter 05');
  if (typeof WebAssembly !== 'object') { div.append(el('div', { class: 'ddpm-live-error' }, NO_WASM)); return 'no-wasm'; }
  const first = Number(div.dataset.perDigit ?? 8);
  const digits = Array.from({ length: 10 }, (_, k) => el('input', { type: 'checkbox', value: k, checked: true }));
  const perDigit = el('select', {}, ...[1, 2, 4, 8, 10].map(v => el('option', { value: v, selected: v === first }, String(v))));
  const [gMin, gMax] = GUIDANCE_RANGE;
  const guidance = el('input', { type: 'range', min: gMin, max: gMax, step: 0.5, value: GUIDANCE_DEFAULT });
  const steps = el('input', { type: 'range', min: 1, max: 50, step: 1, value: 10 });
  const seed = el('input', { type: 'number', value: 0, min: 0, max: MAX_SEED, step: 1, class: 'ddpm-live-seed',
                             inputmode: 'numeric' });
  const gOut = el('output', {}, String(GUIDANCE_DEFAULT)), sOut = el('output', {}, '10');
  guidance.addEventListener('input', () => { gOut.textContent = guidance.value; });
  steps.addEventListener('input', () => { sOut.textContent = steps.value; });
  const button = el('button', { class: 'ddpm-live-draw' }, 'draw');
  const stop = el('button', { class: 'ddpm-live-cancel', hidden: true }, 'cancel');
  const status = el('div', { class: 'ddpm-live-status', role: 'status' },
                    'Press draw: the model (0.4 MB) and the runtime load on first use.');
  const canvas = el('canvas', { class: 'ddpm-live-canvas', role: 'img', 'aria-label': 'Digits drawn by the demo' });
  div.append(
    el('div', { class: 'ddpm-live-row' }, 'digits ',
       ...digits.map((box, k) => el('label', { class: 'ddpm-live-digit' }, box, String(k))),
       labelled('× each', perDigit)),
    el('div', { class: 'ddpm-live-row' }, labelled('guidance w', guidance), gOut, labelled('steps', steps), sOut,
       labelled('seed', seed), button, stop),
    status, canvas);

  /** The fields as `sample` arguments: the seed box read as typed (empty, −3 or 1.5 stay what they are, to be refused). */
  const fieldValue = input => (input.validity?.badInput ? 'not a number' : input.value.trim() === '' ? '' : Number(input.value));
  let control = null;                                          // the AbortController of the drawing under way
  stop.addEventListener('click', () => control?.abort());
  button.addEventListener('click', async () => {
    if (control) return;
    const chosen = digits.filter(b => b.checked).map(b => Number(b.value)), each = Number(perDigit.value);
    if (!chosen.length) { status.textContent = 'Pick at least one digit.'; return; }
    const classes = chosen.flatMap(k => Array(each).fill(k));  // one row per digit (one row of all, one each)
    const cols = each === 1 ? classes.length : each, scale = each === 1 ? 3 : 2;
    const args = { classes, steps: Number(steps.value), guidance: Number(guidance.value), seed: fieldValue(seed) };
    try { checkSampleArgs(args, await loadConfig()); seed.removeAttribute('aria-invalid'); }
    catch (e) {
      status.textContent = `Not drawn: ${e.message}.`;
      if (e.message.startsWith('seed')) seed.setAttribute('aria-invalid', 'true');
      div.dataset.drawn = 'refused';
      return;
    }
    control = new AbortController();
    button.disabled = true; stop.hidden = false;
    status.textContent = 'Loading the model…';
    try {
      const res = await sample({
        ...args, signal: control.signal,
        onStep: async ({ step, steps: calls, t, images, height, width, ms }) => {   // watch each x̂₀ sharpen
          paintGrid(canvas, images, classes.length, height, width, cols, scale);
          status.textContent = `step ${step} of ${calls} (t = ${t}): each image is the current x̂₀ · ${(ms / 1000).toFixed(2)} s`;
          await nextFrame();
        },
      });
      paintGrid(canvas, res.images, res.n, res.height, res.width, cols, scale);
      status.textContent = `${plural(res.n, 'digit')} in ${(res.ms / 1000).toFixed(2)} s: DPM-Solver++(2M), ` +
                           `${plural(args.steps, 'step')}, guidance ${args.guidance}, seed ${args.seed}, ` +
                           (each === 1 ? 'one of each digit asked for.' : 'one row per digit.');
      div.dataset.drawn = 'yes';
    } catch (e) {
      const stopped = e.name === 'AbortError';
      status.textContent = stopped ? 'Cancelled.' : `Could not draw: ${e.message}`;
      div.dataset.drawn = stopped ? 'cancelled' : 'error';
    } finally { control = null; button.disabled = false; stop.hidden = true; }
  });
  if ('autodraw' in div.dataset) {                             // the home page: digits on the first screen
    const go = () => button.click();
    if (document.readyState === 'complete') setTimeout(go, 0); else addEventListener('load', go, { once: true });
  }
}

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

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
// The editing UI (chapter 06b): draw a digit, clean it up (SDEdit) or complete what was erased (inpainting)

const PAD = 280, INK_WIDTH = 22, ERASE_WIDTH = 44;             // the drawing pad, 10× the model's 28×28

/** A pad to draw on with a mouse, a pen or a finger, and `edit` on what is drawn. The div keeps, for tests, the last
 *  edit's input in `div.ddpmLast` = {image, mask, classes, strength, steps, seed, result} (Uint8Arrays of 28×28). */
async function mountEditing(div) {
  div.replaceChildren(
    el('div', { class: 'ddpm-live-title' }, 'Draw a digit, then clean it up or complete it'),
    el('div', { class: 'ddpm-live-note' }, 'Live in your browser: chapter 06b\'s ', el('code', {}, 'sdedit'), ' and ',
       el('code', {}, 'inpaint'), ' on the shipped model, running here in JavaScript with no Python kernel.'));
  if (typeof WebAssembly !== 'object') { div.append(el('div', { class: 'ddpm-live-error' }, NO_WASM)); return 'no-wasm'; }
  const [settings, config, digits] = await Promise.all([loadSettings(), loadConfig(),
                                                       fetch(asset('digits.json')).then(r => r.json())]);
  const ink = el('canvas', { width: PAD, height: PAD }), hole = el('canvas', { width: PAD, height: PAD });
  const pad = el('canvas', { width: PAD, height: PAD, class: 'ddpm-live-pad', role: 'img',
                             'aria-label': 'Drawing pad: draw a digit with the mouse or a finger' });
  const brush = el('select', { class: 'ddpm-live-brush' }, el('option', { value: 'draw' }, 'draw'),
                   el('option', { value: 'erase' }, 'erase (to complete)'));
  const start = el('select', { class: 'ddpm-live-start' }, el('option', { value: '' }, 'blank'),
                   ...digits.labels.map((lab, k) => el('option', { value: k }, `a real ${lab}`)));
  const target = el('select', { class: 'ddpm-live-target' },
                    ...Array.from({ length: 10 }, (_, k) => el('option', { value: k, selected: k === 7 }, String(k))));
  const { lo, hi } = settings.edit;
  const strength = el('input', { type: 'range', min: Math.max(lo, 0.05), max: hi, step: 0.05, value: 0.6,
                                 class: 'ddpm-live-strength' });
  const stOut = el('output', {}, '0.6');
  strength.addEventListener('input', () => { stOut.textContent = strength.value; });
  const seed = el('input', { type: 'number', value: 0, min: 0, max: MAX_SEED, step: 1, class: 'ddpm-live-seed' });
  const clear = el('button', { class: 'ddpm-live-cancel' }, 'clear');
  const clean = el('button', { class: 'ddpm-live-draw ddpm-live-clean' }, 'clean up');
  const complete = el('button', { class: 'ddpm-live-draw ddpm-live-complete' }, 'complete');
  const status = el('div', { class: 'ddpm-live-status', role: 'status' },
                    'Draw a digit (thick strokes fill the pad best), pick what it should be, press clean up.');
  const view = el('canvas', { class: 'ddpm-live-canvas', role: 'img', 'aria-label': 'The input and the edit' });
  div.append(
    el('div', { class: 'ddpm-live-row' }, labelled('brush', brush), labelled('start from', start), clear),
    el('div', { class: 'ddpm-live-editor' }, pad, view),
    el('div', { class: 'ddpm-live-row' }, labelled('make it a', target), labelled('strength', strength), stOut,
       labelled('seed', seed), clean, complete),
    status);

  const paint = () => {                                        // the pad: the ink, and the erased part in red
    const ctx = pad.getContext('2d');
    ctx.drawImage(ink, 0, 0);
    ctx.globalAlpha = 0.45; ctx.drawImage(hole, 0, 0); ctx.globalAlpha = 1;
  };
  const reset = () => {
    for (const c of [ink, hole]) c.getContext('2d').clearRect(0, 0, PAD, PAD);
    const ctx = ink.getContext('2d');
    ctx.fillStyle = 'black'; ctx.fillRect(0, 0, PAD, PAD);
    if (start.value !== '') {                                  // a real digit, 10× enlarged
      const k = Number(start.value), { height: h, width: w } = digits;
      const px = Uint8Array.from(atob(digits.images), ch => ch.charCodeAt(0)).subarray(k * h * w, (k + 1) * h * w);
      const tiny = el('canvas', { width: w, height: h }), img = new ImageData(w, h);
      px.forEach((v, i) => { img.data.set([v, v, v, 255], 4 * i); });
      tiny.getContext('2d').putImageData(img, 0, 0);
      ctx.imageSmoothingEnabled = false; ctx.drawImage(tiny, 0, 0, PAD, PAD);
    }
    paint();
  };
  /** The model's view of a pad layer: 28×28, each pixel the mean of its 10×10 block (channel 0). */
  const small = (layer, channel = 0) => {
    const d = layer.getContext('2d').getImageData(0, 0, PAD, PAD).data, out = new Float64Array(28 * 28);
    for (let y = 0; y < PAD; y++) for (let x = 0; x < PAD; x++)
      out[Math.floor(y / 10) * 28 + Math.floor(x / 10)] += d[4 * (y * PAD + x) + channel] / 100;
    return out;
  };
  const image = () => Uint8Array.from(small(ink), v => Math.round(v));
  const mask = () => Uint8Array.from(small(hole, 3), v => (v > 64 ? 0 : 1));   // erased (alpha) over a quarter: redraw

  let last = null, down = false;
  const at = e => { const r = pad.getBoundingClientRect(); return [(e.clientX - r.left) * PAD / r.width, (e.clientY - r.top) * PAD / r.height]; };
  const stroke = (from, to) => {
    const erase = brush.value === 'erase', ctx = (erase ? hole : ink).getContext('2d');
    ctx.strokeStyle = erase ? 'rgb(230, 40, 40)' : 'white';
    ctx.lineWidth = erase ? ERASE_WIDTH : INK_WIDTH; ctx.lineCap = ctx.lineJoin = 'round';
    ctx.beginPath(); ctx.moveTo(...from); ctx.lineTo(...to); ctx.stroke();
    paint();
  };
  pad.addEventListener('pointerdown', e => { pad.setPointerCapture?.(e.pointerId); down = true; last = at(e); stroke(last, last); });
  pad.addEventListener('pointermove', e => { if (!down) return; const p = at(e); stroke(last, p); last = p; });
  for (const ev of ['pointerup', 'pointercancel']) pad.addEventListener(ev, () => { down = false; });
  clear.addEventListener('click', () => { start.value = ''; reset(); });
  start.addEventListener('change', reset);
  reset();

  let busy = false;
  const go = async inpaint => {
    if (busy) return;
    const args = { image: image(), classes: [Number(target.value)], steps: 10, guidance: GUIDANCE_DEFAULT,
                   seed: seed.value.trim() === '' ? '' : Number(seed.value) };
    if (inpaint) args.mask = mask(); else args.strength = Number(strength.value);
    if (inpaint && args.mask.every(v => v === 1)) { status.textContent = 'Erase part of the digit first (brush: erase).'; return; }
    busy = true; clean.disabled = complete.disabled = true;
    status.textContent = 'Loading the model…';
    try {
      const res = await edit({ ...args, onStep: async ({ step, steps, images }) => {
        show(args, images);
        status.textContent = `step ${step} of ${steps}: the current x̂₀`;
        await nextFrame();
      } });
      show(args, res.images);
      div.ddpmLast = { ...args, result: res.images };
      status.textContent = `${inpaint ? 'Completed' : 'Cleaned up'} as a ${args.classes[0]} in ${(res.ms / 1000).toFixed(2)} s ` +
                           (inpaint ? '(strength 1: the erased part drawn anew, the rest kept exactly).'
                                    : `(strength ${args.strength}: noised to step ${ddpm.strengthStep(args.strength, config.schedule.T)} and denoised).`);
      div.dataset.drawn = 'yes';
    } catch (e) {
      status.textContent = `Not edited: ${e.message}`;
      div.dataset.drawn = e.name === 'AbortError' ? 'cancelled' : 'refused';
    } finally { busy = false; clean.disabled = complete.disabled = false; }
  };
  const show = ({ image: x, mask: m }, result) => {           // the input (erased part grey) and the edit, side by side
    const input = Uint8Array.from(x, (v, i) => (m && !m[i] ? 128 : v));
    const both = new Uint8Array(2 * 784); both.set(input); both.set(result, 784);
    paintGrid(view, both, 2, 28, 28, 2, 5, 4);
  };
  clean.addEventListener('click', () => go(false));
  complete.addEventListener('click', () => go(true));
}

// ---------------------------------------------------------------------------------------------------------------
// Mount every demo on the page

const MOUNTS = { sampling: mountSampling, forward: mountForward, editing: mountEditing };

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
