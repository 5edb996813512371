"""Short CPU budgets: a training setting against the defaults, each run scored under several guidance rules.

    python benchmarks/budget_rules.py --steps 1500 7000 --seeds 0 1 [--set lr=8e-3 ...] [--rules 'plain 2' ...] [--n 1000] [--out FILE.json]

Budgets are optimiser steps, not minutes, so runs stay comparable on a shared machine (on the quiet 2-core AMD EPYC
that measured the defaults, batch 16 does about 1,500 steps in one minute and 7,000 in five). Each run trains the
defaults of `ddpm-course train` (`DEFAULT_MODEL`, `DEFAULT_SCHEDULE`, `TrainConfig()` on the CPU) with the `--set`
changes (each read as its flag would be), from `torch.manual_seed(seed)`, on the 8,000 digits chapter 06's classifier
was trained on; then draws `--n` digits (an equal number per class) from the same starting noise with DPM-Solver++ in
10 calls under each guidance rule (plain guidance at several weights, and guidance only for σ_t in (0.3, 5]) and scores
them as `device_table.py` does: class accuracy, improved precision/recall (k = 3) and FID against 1,000 held-out
digits. With `--out`, the runs are appended to a JSON file (with the machine's header), one run at a time, each with
the peak learning rate it trained with (`lr`)."""

import argparse, json, sys, time
from pathlib import Path
import torch

sys.path.insert(0, str(Path(__file__).parent))
from device_table import Scorer, asked, training_digits
from machine import header
from quality_per_minute import parse_overrides
from ddpm_course.sampling import dpm_sample
from ddpm_course.schedule import NoiseSchedule
from ddpm_course.training import TrainConfig, train
from ddpm_course.unet import ContextUnet

RULES = {f'plain {w:g}': (w, None) for w in (1.5, 2, 2.5, 3, 4)}
RULES.update({f'interval {w:g}': (w, (0.3, 5.0)) for w in (2.5, 3, 4)})  # σ_t in (0.3, 5]


def train_run(steps, seed, pairs, data):
    "The EMA network, schedule and peak learning rate of `steps` steps of the CPU defaults changed by `pairs`."
    model_args, schedule_name, config = parse_overrides(pairs)
    torch.manual_seed(seed)
    model = ContextUnet(in_channels=1, n_classes=10, image_size=28, **model_args)
    schedule = getattr(NoiseSchedule, schedule_name)(model_args['timesteps'])
    cfg = TrainConfig(steps=steps, seed=seed, device='cpu', **config)
    res = train(model, schedule, data, cfg, progress='none')
    return res.ema_model.eval(), schedule, cfg.lr


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split('\n')[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument('--steps', type=int, nargs='+', default=[1500, 7000])
    ap.add_argument('--seeds', type=int, nargs='+', default=[0, 1])
    ap.add_argument('--set', nargs='*', default=[], metavar='KEY=VALUE', help='change a default')
    ap.add_argument('--n', type=int, default=1000, help='digits drawn per rule')
    ap.add_argument(
        '--rules', nargs='*', default=list(RULES), choices=list(RULES), help='the rules to score'
    )
    ap.add_argument('--out', default=None, help='append the runs to this JSON file')
    a = ap.parse_args()
    parse_overrides(a.set)  # refuse a bad --set before any training
    print(header('cpu'), flush=True)
    scorer, data = Scorer(), training_digits()
    labels = asked(a.n)
    x_T = torch.randn((a.n, 1, 28, 28), generator=torch.Generator().manual_seed(0))
    out = Path(a.out) if a.out else None
    for steps in a.steps:
        for seed in a.seeds:
            t0 = time.time()
            model, schedule, lr = train_run(steps, seed, a.set, data)
            secs = round(time.time() - t0)
            run = dict(steps=steps, seed=seed, set=a.set, lr=lr, train_s=secs, scores={})
            for name in a.rules:
                w, interval = RULES[name]
                kw = {} if interval is None else dict(guidance_interval=interval)
                x = dpm_sample(
                    model,
                    schedule,
                    x_T.shape,
                    n_calls=10,
                    context=labels,
                    guidance=w,
                    x_T=x_T,
                    **kw,
                )
                run['scores'][name] = {k: round(v, 4) for k, v in scorer(x, labels).items()}
                s = run['scores'][name]
                print(
                    f"{steps:>6} steps  seed {seed}  {' '.join(a.set) or 'defaults':<14} {name:<13}"
                    f"accuracy {s['accuracy']:.3f}  precision {s['precision']:.3f}  recall {s['recall']:.3f}"
                    f"  FID {s['fid']:.1f}",
                    flush=True,
                )
            if out:
                old = (
                    json.loads(out.read_text())
                    if out.exists()
                    else dict(machine=header('cpu'), runs=[])
                )
                old['runs'].append(run)
                out.write_text(json.dumps(old, indent=1, ensure_ascii=False) + '\n')


if __name__ == '__main__':
    main()
