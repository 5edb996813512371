"""Guidance rules against each other on a model: class accuracy, precision, recall and FID of 1,000 digits.

    python benchmarks/guidance.py [--ckpt pretrained] [--weak DIR] [--n 1000] [--calls 10]

For each rule — plain classifier-free guidance at several weights w, guidance only while the noise level lies in an
interval (Kynkäänniemi et al. 2024), and, with `--weak`, autoguidance (Karras et al. 2024: the conditional prediction
of a weaker model takes the place of the unconditional one) — draws `--n` digits (an equal number per class) with
DPM-Solver++ from the same starting noise and scores them with chapter 06's classifier: class accuracy, improved
precision/recall (k = 3) and FID against held-out real digits, and the real digits' own point at the same n.

The rules are the library's own: `guidance_interval=` and `guide=` of the samplers (chapter 04)."""

import argparse, time
import torch
from ddpm_course.pipeline import load_checkpoint, load_pretrained
from ddpm_course.sampling import dpm_sample
from ddpm_course.metrics import (
    load_classifier,
    classifier_split,
    fid_from_features,
    precision_recall_from_features,
)
from ddpm_course.data import load_mnist10k
from machine import cpu_name


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--ckpt', default='pretrained')
    ap.add_argument('--weak', default=None, help='checkpoint of a weaker model, for autoguidance')
    ap.add_argument('--n', type=int, default=1000)
    ap.add_argument('--calls', type=int, default=10)
    ap.add_argument(
        '--rules', default=None, help='comma-separated rule names to run (default: all)'
    )
    a = ap.parse_args()
    torch.set_num_threads(max(1, torch.get_num_threads()))
    pipe = load_pretrained() if a.ckpt == 'pretrained' else load_checkpoint(a.ckpt)
    model, sched = pipe.model.eval(), pipe.schedule
    weak = load_checkpoint(a.weak).model.eval() if a.weak else None
    clf = load_classifier()
    images, digit = load_mnist10k()
    held_out = classifier_split()[
        1
    ]  # digits the classifier never saw: half the reference, half the real point
    ref, other = held_out[: len(held_out) // 2], held_out[len(held_out) // 2 :][: a.n]
    real_f = clf.embed(images[ref])
    rules = {f'plain w={w:g}': (w, {}) for w in (1, 1.5, 2, 3)}
    for w in (2, 2.5, 3, 4):
        for lo, hi in ((0.1, 2.0), (0.2, 3.0), (0.3, 5.0), (0.5, 10.0), (1.0, 20.0)):
            rules[f'interval w={w:g} σ∈({lo:g},{hi:g}]'] = (w, dict(guidance_interval=(lo, hi)))
    if weak is not None:
        for w in (1.5, 2, 3):
            rules[f'autoguidance w={w:g}'] = (w, dict(guide=weak))
    if a.rules:
        keep = a.rules.split(',')
        rules = {k: v for k, v in rules.items() if any(k.startswith(p) for p in keep)}
    labels = torch.arange(10).repeat_interleave(a.n // 10)
    x_T = torch.randn((len(labels), 1, 28, 28), generator=torch.Generator().manual_seed(0))
    print(
        f"# {cpu_name()} · torch {torch.__version__} · {a.ckpt} · DPM-Solver++ {a.calls} calls · n = {len(labels)}"
    )
    held_f = clf.embed(images[other])
    pr = precision_recall_from_features(real_f, held_f)
    print(f"| rule | accuracy | precision | recall | FID | seconds |\n|---|---|---|---|---|---|")
    acc = (clf.predict(images[other]) == digit[other]).float().mean().item()
    print(
        f"| real held-out digits | {acc:.3f} | {pr['precision']:.3f} | {pr['recall']:.3f} | "
        f"{fid_from_features(held_f, real_f):.1f} | |"
    )
    for name, (w, kw) in rules.items():
        t0 = time.time()
        out = dpm_sample(
            model, sched, x_T.shape, n_calls=a.calls, context=labels, guidance=w, x_T=x_T, **kw
        )
        secs = time.time() - t0
        f = clf.embed(out)
        acc = (clf.predict(out) == labels).float().mean().item()
        pr = precision_recall_from_features(real_f, f)
        print(
            f"| {name} | {acc:.3f} | {pr['precision']:.3f} | {pr['recall']:.3f} | "
            f"{fid_from_features(f, real_f):.1f} | {secs:.0f} |",
            flush=True,
        )


if __name__ == '__main__':
    main()
