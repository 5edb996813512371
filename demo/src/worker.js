// worker.js: the live demo's sampler in a Web Worker, so that drawing never blocks the page (live.js starts it).
//
// Messages in:  {id, args}       draw or edit (args checked by live.js: classes, steps, guidance, seed, xT, edit)
//               {cancel: id}     stop that drawing at the next chunk of a network call
// Messages out: {id, step}       after each network call: {step, steps, t, images, n, height, width, ms}
//               {id, result}     the digits: {images: Uint8Array, n, height, width, ms}
//               {id, error, name}
import { drawDigits } from './sampler.js';

const stopped = new Set();

self.onmessage = async ({ data }) => {
  if ('cancel' in data) { stopped.add(data.cancel); return; }
  const { id, args } = data;
  try {
    const result = await drawDigits(args, {
      isCancelled: () => stopped.has(id),
      onStep: step => self.postMessage({ id, step }, [step.images.buffer]),
    });
    self.postMessage({ id, result }, [result.images.buffer]);
  } catch (e) {
    self.postMessage({ id, error: e.message, name: e.name });
  } finally { stopped.delete(id); }
};
