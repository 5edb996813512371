// ddpm.js: the maths of the live demo in plain JavaScript, mirroring ddpm_course line by line.
//
// Noise schedules (ddpm_course.schedule.NoiseSchedule), the time grid and DPM-Solver++(2M) (dpm_sample in
// ddpm_course.sampling, chapter 05), classifier-free guidance (guided_eps, chapter 04) and a seeded normal generator.
// No page and no onnxruntime in here: a noise predictor is any async function `model(x, t, c, n) -> Float32Array`,
// so the same code runs on the exported UNet and on anything else a test hands it.
//
// Conventions, as in the Python package: time steps are integers 0 … T-1; ᾱ_t = ∏_{s≤t} (1 − β_s) in float64
// (JavaScript numbers are float64); images are float32 in [-1, 1], stored flat as N·C·H·W, row-major.

// ---------------------------------------------------------------------------------------------------------------
// Noise schedules

/** `steps` numbers from `start` to `end`, computed as `torch.linspace(..., dtype=torch.float64)` does on the CPU
 *  (the first half counted up from `start`, the second half down from `end`), so the betas match PyTorch's bit for bit. */
export function linspace(start, end, steps) {
  const out = new Float64Array(steps);
  if (steps === 1) { out[0] = start; return out; }
  const step = (end - start) / (steps - 1);
  for (let i = 0; i < steps; i++) out[i] = i < steps / 2 ? start + step * i : end - step * (steps - 1 - i);
  return out;
}

/** A schedule from its betas: `{kind, T, betas, alphaBars}` with ᾱ_t = ∏_{s≤t} (1 − β_s), like NoiseSchedule(betas). */
export function makeSchedule(betas, kind = 'custom') {
  betas = Float64Array.from(betas);
  const T = betas.length, alphaBars = new Float64Array(T);
  if (T < 1 || betas.some(b => !(b > 0 && b < 1))) throw new Error(`betas: expected T ≥ 1 values in (0, 1), got ${T} values`);
  let prod = 1;
  for (let t = 0; t < T; t++) { prod *= 1 - betas[t]; alphaBars[t] = prod; }   // the cumulative product, in order
  return { kind, T, betas, alphaBars };
}

/** The DDPM schedule (NoiseSchedule.linear): T betas evenly spaced from betaStart to betaEnd. */
export const linearSchedule = (T, betaStart = 1e-4, betaEnd = 0.02) => makeSchedule(linspace(betaStart, betaEnd, T), 'linear');

/** The cosine schedule of Nichol & Dhariwal 2021 (NoiseSchedule.cosine): betas from ᾱ(u) ∝ cos²((u + s)/(1 + s) · π/2), clipped at maxBeta. */
export function cosineSchedule(T, s = 0.008, maxBeta = 0.999) {
  const f = u => Math.cos((u + s) / (1 + s) * Math.PI / 2) ** 2;
  const betas = Array.from({ length: T }, (_, t) => Math.max(Math.min(1 - f((t + 1) / T) / f(t / T), maxBeta), 1e-12));
  return makeSchedule(betas, 'cosine');
}

/** Rebuild a schedule from the `schedule` entry of a checkpoint's config.json (NoiseSchedule.from_config). */
export function scheduleFromConfig(config) {
  const { kind } = config;
  if (kind === 'linear') return linearSchedule(config.T, config.beta_start ?? 1e-4, config.beta_end ?? 0.02);
  if (kind === 'cosine') return cosineSchedule(config.T, config.s ?? 0.008, config.max_beta ?? 0.999);
  if (kind === 'custom') return makeSchedule(config.betas);
  throw new Error(`schedule config: unknown kind ${JSON.stringify(kind)}; expected 'linear', 'cosine' or 'custom'`);
}

// ---------------------------------------------------------------------------------------------------------------
// The time grid

/** The time steps DPM-Solver++ visits, from the noisiest down to 0, at most `steps` of them.
 *  MIRRORS ddpm_course.sampling.dpm_timesteps (logsnr_timesteps before it), the grid dpm_sample uses: evenly spaced
 *  in λ = log(sqrt(ᾱ) / sqrt(1 − ᾱ)) from `start` (default T-1; lower for an edit, chapter 06b), or from the noisiest
 *  step below it whose λ ≥ lambdaMin when λ at `start` lies below it, down to 0; each target rounded to the nearest
 *  step, repeats merged. lambdaMin is the package's DPM_LAMBDA_MIN, written to sampler.json by tools/build_demo.py
 *  (-Infinity: no floor, as logsnr_timesteps). tools/check_demo.py compares this grid with the one dpm_sample really
 *  visits; change both together. */
export function dpmTimesteps(schedule, steps, lambdaMin = -Infinity, start = schedule.T - 1) {
  if (steps === 1) return [start];
  const lam = Array.from(schedule.alphaBars, ab => 0.5 * Math.log(ab / (1 - ab)));   // decreasing in t
  if (lam[start] < lambdaMin) {                                                       // the noisiest step visited
    start = lam.findLastIndex(l => l >= lambdaMin);
    if (start < 0) throw new Error(`schedule: no step has λ ≥ ${lambdaMin}`);
  }
  const first = lam[start], last = lam[0], delta = (last - first) / (steps - 1);
  const picked = new Set();
  for (let i = 0; i < steps; i++) {
    const target = i === steps - 1 ? last : first + i * delta;                        // np.linspace(first, last, steps)
    let best = 0;                                                                       // np.argmin: the first nearest
    for (let t = 1; t <= start; t++) if (Math.abs(lam[t] - target) < Math.abs(lam[best] - target)) best = t;
    picked.add(best);
  }
  return [...picked].sort((a, b) => b - a);
}

// ---------------------------------------------------------------------------------------------------------------
// Classifier-free guidance and one solver step

/** ε̂ with classifier-free guidance, as guided_eps: `ε̂_uncond + w (ε̂_cond − ε̂_uncond)`, both predictions from one
 *  batched call on [x, x] with contexts [c, 0] (the null context is the zero vector). `c` is Float32Array [n · dim]. */
export async function guidedEps(model, x, t, c, guidance, n) {
  if (c === null || guidance === null || guidance === 1) return model(x, t, c, n);
  if (guidance === 0) return model(x, t, new Float32Array(c.length), n);
  const both = await model(concat(x, x), t, concat(c, new Float32Array(c.length)), 2 * n);
  const size = x.length, eps = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const cond = both[i], uncond = both[size + i];
    eps[i] = uncond + guidance * (cond - uncond);
  }
  return eps;
}

/** The guidance weight at step t, as guidance_weights: `guidance` where the noise level σ_t = sqrt((1 − ᾱ_t) / ᾱ_t)
 *  lies in `interval` = [σ_min, σ_max] (open below: σ_min < σ_t ≤ σ_max), 1 elsewhere; no interval: everywhere. */
export function guidanceAt(schedule, t, guidance, interval = null) {
  if (guidance === null || interval === null) return guidance;
  const ab = schedule.alphaBars[t], sigma = Math.sqrt((1 - ab) / ab);
  return interval[0] < sigma && sigma <= interval[1] ? guidance : 1;
}

/** x̂₀ = (x_t − sqrt(1 − ᾱ_t) ε̂) / sqrt(ᾱ_t): the clean image a noise prediction implies (predict_x0). */
export function predictX0(schedule, x, t, eps) {
  const ab = schedule.alphaBars[t], a = Math.sqrt(ab), s = Math.sqrt(1 - ab);
  return x.map((v, i) => (v - s * eps[i]) / a);
}

// ---------------------------------------------------------------------------------------------------------------
// The sampler

/** Draw images with DPM-Solver++(2M) (Lu et al. 2022) in `steps` network calls, exactly as dpm_sample:
 *  same grid, same multistep update, and the last step returns x̂₀ itself, clamped to [-1, 1].
 *  `xT` is x at the first step visited (float32, n images): pure noise, or for an edit the noised image
 *  (`editStart`), with `start` the noisiest step allowed (default T-1). `keep` = {x0, mask, eps} makes it inpaint
 *  by replacement, as ddpm_course.editing.Inpaint around DPMSolver does: after each step the pixels where
 *  mask[i] = 1 are put back at the step reached, sqrt(ᾱ_s) x0 + sqrt(1 − ᾱ_s) ε, and x0 itself at the end.
 *  `interval` = [σ_min, σ_max] guides only at those noise levels (SamplingConfig.guidance_interval; null: all).
 *  `onStep({i, t, x, x0})` is awaited after each network call. */
export async function dpmSample(model, schedule, { n, xT, steps, start, context = null, guidance = null, onStep = null,
                                                   lambdaMin = -Infinity, keep = null, interval = null }) {
  const ts = dpmTimesteps(schedule, steps, lambdaMin, start);
  const ab = schedule.alphaBars;
  const alpha = t => Math.sqrt(ab[t]), sigma = t => Math.sqrt(1 - ab[t]);
  const lam = t => Math.log(alpha(t) / sigma(t));                                       // λ_t, the half log-SNR
  let x = Float32Array.from(xT), prevX0 = null, hPrev = null;
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i];
    const eps = await guidedEps(model, x, t, context, guidanceAt(schedule, t, guidance, interval), n);
    const x0 = predictX0(schedule, x, t, eps);
    if (onStep) await onStep({ i, t, x, x0 });
    if (i === ts.length - 1) return keep ? putBack(schedule, clamp(x0), keep, -1) : clamp(x0);   // x = x̂₀
    const s = ts[i + 1];
    const h = lam(s) - lam(t);
    let D = x0;                                                                          // first order at the first step
    if (prevX0 !== null) {                                                               // then extrapolate x̂₀ over λ
      const r = h / (2 * hPrev);
      D = x0.map((v, k) => (1 + r) * v - r * prevX0[k]);
    }
    const cx = sigma(s) / sigma(t), cd = alpha(s) * Math.expm1(-h);
    x = x.map((v, k) => cx * v - cd * D[k]);                                             // x_s = σ_s/σ_t x_t − α_s (e^{−h} − 1) D
    if (keep) x = putBack(schedule, x, keep, s);
    prevX0 = x0; hPrev = h;
  }
}

/** Inpainting's replacement (Inpaint.known_at): the pixels where keep.mask is 1 set to the known image at step `s`,
 *  sqrt(ᾱ_s) x0 + sqrt(1 − ᾱ_s) ε, or to x0 itself at s = −1 (noise level zero). */
export function putBack(schedule, x, { x0, mask, eps }, s) {
  const a = s < 0 ? 1 : Math.sqrt(schedule.alphaBars[s]), b = s < 0 ? 0 : Math.sqrt(1 - schedule.alphaBars[s]);
  const out = Float32Array.from(x);
  for (let i = 0; i < out.length; i++) if (mask[i]) out[i] = s < 0 ? x0[i] : a * x0[i] + b * eps[i];
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Editing (chapter 06b): where an edit starts

/** Python's round(): halves to even (0.5 → 0, 2.5 → 2), as strength_step rounds strength · T. */
export function roundHalfEven(v) {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The step SDEdit noises its input to, as ddpm_course.editing.strength_step: round(strength · T) − 1, at least 0. */
export const strengthStep = (strength, T) => Math.max(1, roundHalfEven(strength * T)) - 1;

/** x at the first step `t0` the sampler visits, as edit_start: sqrt(ᾱ) x0 + sqrt(1 − ᾱ) ε; at strength 1
 *  (start = T-1) pure noise ε, as sampling starts, except the kept pixels of an inpainting (mask[i] = 1). */
export function editStart(schedule, x0, eps, start, t0, mask = null) {
  const a = Math.sqrt(schedule.alphaBars[t0]), b = Math.sqrt(1 - schedule.alphaBars[t0]);
  const top = start === schedule.T - 1;
  return x0.map((v, i) => (top && !(mask && mask[i]) ? eps[i] : a * v + b * eps[i]));
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers: random numbers, contexts, pixels

/** A seeded generator of standard normal numbers: mulberry32 for uniforms, Box-Muller for pairs of normals.
 *  (Not PyTorch's generator: the same seed draws other digits in Python. Pass `xT` to start from Python's noise.) */
export function randn(count, seed = 0) {
  let a = seed >>> 0;
  const uniform = () => {                                  // mulberry32: 32-bit state, period 2³², good enough for noise
    a = (a + 0x6D2B79F5) >>> 0;
    let z = a;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;          // in [0, 1)
  };
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - uniform())), phi = 2 * Math.PI * uniform();   // 1 − u lies in (0, 1]
    out[i] = r * Math.cos(phi);
    if (i + 1 < count) out[i + 1] = r * Math.sin(phi);
  }
  return out;
}

/** One-hot context vectors, Float32Array [n · nClasses], for class indices (as_context on int64 classes). */
export function oneHot(classes, nClasses) {
  const c = new Float32Array(classes.length * nClasses);
  classes.forEach((k, i) => { c[i * nClasses + k] = 1; });
  return c;
}

/** Float images in [-1, 1] → uint8 0…255 (ddpm_course.data.to_uint8: clip, scale, round half to even). */
export function toUint8(x) {
  const out = new Uint8Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = (Math.min(Math.max(x[i], -1), 1) + 1) * 127.5, r = Math.round(v);
    out[i] = r - v === 0.5 && r % 2 === 1 ? r - 1 : r;      // Math.round rounds halves up; torch.round to even
  }
  return out;
}

export const clamp = x => x.map(v => Math.min(Math.max(v, -1), 1));

function concat(a, b) { const out = new Float32Array(a.length + b.length); out.set(a); out.set(b, a.length); return out; }
