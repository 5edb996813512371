// sampler.js: the live demo's drawing, as it runs inside a Web Worker (worker.js), off the page's main thread.
//
// Loads onnxruntime-web and the shipped model on first use and draws digits with ddpm.js's DPM-Solver++(2M). It
// yields to its event loop between network calls (and between chunks of one call), so that a cancel can arrive
// and be honoured within one chunk. Arguments come already checked by live.js (checkSampleArgs); nothing here
// touches the page, so the same code also runs in the page where no Worker can be made (a slower fallback).
import * as ddpm from './ddpm.js';

const HERE = new URL('.', import.meta.url);                    // <site>/demo/, wherever the page itself lives
const asset = name => new URL(name, HERE).href;
export const CHUNK = 16;                                       // images per session.run: small, so cancels land fast

let runtime = null;                                            // a promise of {ort, session, config, schedule, lambdaMin}

/** onnxruntime-web (single-threaded WebAssembly, the local copy), the model, its config and sampler.json. */
export function loadRuntime() {
  runtime ??= (async () => {
    if (typeof WebAssembly !== 'object') throw new Error('WebAssembly is not available');
    const ort = await import(asset('ort/ort.wasm.min.mjs'));
    ort.env.wasm.numThreads = 1;                               // one thread: no SharedArrayBuffer, no special headers
    ort.env.wasm.wasmPaths = asset('ort/');                    // the local copy, never a CDN
    const [config, session, { dpm_lambda_min }] = await Promise.all([
      fetch(asset('config.json')).then(r => r.json()),
      loadModel(ort),
      fetch(asset('sampler.json')).then(r => r.json()),
    ]);
    return { ort, session, config, schedule: ddpm.scheduleFromConfig(config.schedule),
             lambdaMin: dpm_lambda_min ?? -Infinity };
  })();
  runtime.catch(() => { runtime = null; });                    // a failed load may be retried
  return runtime;
}

/** The ONNX session of the shipped model (one file: tools/export_onnx.py keeps the weights inside). */
async function loadModel(ort) {
  const bytes = new Uint8Array(await fetch(asset('model.onnx')).then(r => r.arrayBuffer()));
  return ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
}

/** The checkpoint's guidance interval [σ_min, σ_max] (config.json's sampling), or null when it guides everywhere. */
export function guidanceInterval(config) {
  const s = config.sampling ?? {}, lo = s.guidance_sigma_min ?? 0, hi = s.guidance_sigma_max ?? null;
  return lo === 0 && hi === null ? null : [lo, hi ?? Infinity];
}

export const imageShape = config => [config.model.in_channels, ...config.model.image_size];
const pause = () => new Promise(r => setTimeout(r, 0));       // let messages (a cancel) and the page through

/** Thrown when a drawing is cancelled (the name the DOM uses for aborted work). */
export function cancelled() {
  const e = new Error('cancelled: the drawing was stopped before it finished');
  e.name = 'AbortError';
  return e;
}

/** The exported UNet as a noise predictor `model(x, t, c, n) -> ε̂`, run CHUNK images at a time (each image's ε̂
 *  depends on that image alone), pausing between chunks and stopping when `isCancelled()` turns true. */
function predictor({ ort, session, config }, isCancelled) {
  const [C, H, W] = imageShape(config), dim = config.model.context_dim ?? config.model.n_classes, size = C * H * W;
  return async (x, t, c, n) => {
    c ??= new Float32Array(n * dim);                           // no context: the null context, zeros
    const eps = new Float32Array(n * size);
    for (let i = 0; i < n; i += CHUNK) {
      await pause();
      if (isCancelled()) throw cancelled();
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

/** Draw one digit per entry of `classes` (checked arguments), as dpm_sample does; with `edit` = {x0, mask, strength,
 *  noise} (checked by live.js's checkEditArgs) edit the images x0 instead, as ddpm_course.editing does: SDEdit from
 *  the strength's step, or inpainting by replacement where mask is 1. `onStep(info)` receives every image's current x̂₀
 *  after each network call. Returns {images: Uint8Array, n, height, width, ms}. */
export async function drawDigits({ classes, steps, guidance, seed, xT, edit = null },
                                 { onStep = null, isCancelled = () => false } = {}) {
  const rt = await loadRuntime();
  const { config, schedule, lambdaMin } = rt;
  const [C, H, W] = imageShape(config), n = classes.length, start = performance.now();
  let top = schedule.T - 1, x = xT ? Float32Array.from(xT) : null, keep = null;
  if (edit) {                                                   // where the edit starts: edit_start in Python
    top = ddpm.strengthStep(edit.strength, schedule.T);
    const eps = edit.noise ? Float32Array.from(edit.noise) : ddpm.randn(n * C * H * W, seed);
    const t0 = ddpm.dpmTimesteps(schedule, steps, lambdaMin, top)[0];
    x = ddpm.editStart(schedule, edit.x0, eps, top, t0, edit.mask);
    if (edit.mask) keep = { x0: edit.x0, mask: edit.mask, eps };
  }
  const calls = ddpm.dpmTimesteps(schedule, steps, lambdaMin, top).length;
  const out = await ddpm.dpmSample(predictor(rt, isCancelled), schedule, {
    n, steps, guidance, lambdaMin, start: top, keep, context: ddpm.oneHot(classes, config.model.n_classes),
    interval: guidanceInterval(config),
    xT: x ?? ddpm.randn(n * C * H * W, seed),
    onStep: onStep && (({ i, t, x0 }) => onStep({ step: i + 1, steps: calls, t, images: ddpm.toUint8(x0),
                                                  n, height: H, width: W, ms: performance.now() - start })),
  });
  if (isCancelled()) throw cancelled();
  return { images: ddpm.toUint8(out), n, height: H, width: W, ms: performance.now() - start };
}
