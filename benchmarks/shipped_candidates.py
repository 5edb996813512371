"""Candidates for the shipped model: train a recipe for a number of steps, then score it on chapter 06's protocol.

    python benchmarks/shipped_candidates.py NAME --steps N [--set KEY=VALUE ...] [--threads 1] [--out FILE.json]
    python benchmarks/shipped_candidates.py NAME --load CHECKPOINT_DIR [--out FILE.json]

Trains as chapter 03's shipped-model cell does (`PRETRAINED_MODEL` on all of MNIST-10k, seed 0, the CPU defaults,
`TrainConfig(steps=N)`), with `--set` changing a `ModelConfig` or `TrainConfig` setting (read as its flag would be),
or scores an existing checkpoint. Scoring is chapter 06's precision-recall protocol: 1,000 digits (100 per class)
from one fixed starting noise, DPM-Solver++ in 10 calls, plain guidance at w = 1, 1.5, 2 and guidance for
σ_t in (0.3, 5] at w = 1.5 … 3; class accuracy, precision and recall (k = 3) and FID against 1,000 held-out digits,
and FID against all of MNIST-10k with its floor (the model card's FID). `--out` appends the run to a JSON file.
Two trainings with `--threads 1` side by side use a 2-core CPU fully."""

import argparse, json, sys
from pathlib import Path
import torch

sys.path.insert(0, str(Path(__file__).parent))
from device_table import Scorer  # chapter 06's held-out reference and scores
from machine import header
from ddpm_course.data import mnist10k
from ddpm_course.metrics import evaluate
from ddpm_course.pipeline import load_checkpoint
from ddpm_course.sampling import dpm_sample
from ddpm_course.schedule import NoiseSchedule
from ddpm_course.errors import ArgError
from ddpm_course.settings import parse_settings
from ddpm_course.training import DEFAULT_SCHEDULE, PRETRAINED_MODEL, TrainConfig, train
from ddpm_course.unet import ContextUnet, ModelConfig, count_parameters

RULES = (  # (rule, what the sampler is given, the weights w)
    ('plain', {}, (1, 1.5, 2)),
    ('interval', dict(guidance_interval=(0.3, 5.0)), (1.5, 2, 2.5, 3)),
)


def trained(name, steps, pairs):
    "The EMA network and schedule of chapter 03's shipped recipe with `pairs` changed, trained `steps` steps."
    try:
        model_args, config = parse_settings(pairs, ModelConfig, TrainConfig)
    except ArgError as e:
        raise SystemExit(f"--{e}") from None
    torch.manual_seed(0)
    model = ContextUnet(**{**PRETRAINED_MODEL, **model_args})
    schedule = getattr(NoiseSchedule, DEFAULT_SCHEDULE)(model.timesteps)
    cfg = TrainConfig(
        **{'steps': steps, 'seed': 0, 'device': 'cpu', **config}
    )  # --set may change any
    res = train(model, schedule, mnist10k(), cfg, out=Path('runs') / name, progress='lines')
    last = res.losses[-500:]
    loss = sum(last) / len(last)  # the mean of the last 500 steps (or of all, if fewer)
    print(f"{name}: {res.steps:,} steps in {res.seconds / 60:.1f} min; loss {loss:.4f}", flush=True)
    return res.ema_model, schedule, dict(steps=res.steps, minutes=round(res.seconds / 60, 1))


def scores(name, model, schedule) -> list:
    "Chapter 06's held-out scores of `model` for each rule and weight, printed as they come."
    score, asked = Scorer(), torch.arange(10).repeat_interleave(100)
    x_T = torch.randn(1000, 1, 28, 28, generator=torch.Generator().manual_seed(0))
    rows = []
    for rule, given, weights in RULES:
        for w in weights:
            with torch.no_grad():
                x = dpm_sample(
                    model,
                    schedule,
                    x_T.shape,
                    n_calls=10,
                    context=asked,
                    guidance=w,
                    x_T=x_T,
                    **given,
                )
            r, card = score(x, asked), evaluate(x, asked)
            r = dict(
                rule=rule,
                w=w,
                accuracy=round(r['accuracy'], 4),
                precision=round(r['precision'], 3),
                recall=round(r['recall'], 3),
                fid=round(r['fid'], 2),
                fid_all=round(card['fid'], 2),
                fid_all_floor=round(card['fid_floor'], 2),
            )
            rows.append(r)
            print(
                f"{name:<14}{rule:<10}{w:>5g}{r['accuracy']:>9.1%}{r['precision']:>7.3f}{r['recall']:>7.3f}"
                f"{r['fid']:>7.1f}{r['fid_all']:>8.2f} (floor {r['fid_all_floor']:.2f})",
                flush=True,
            )
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('name')
    ap.add_argument('--steps', type=int, default=None, help='train the recipe for this many steps')
    ap.add_argument('--set', nargs='*', default=[], metavar='KEY=VALUE')
    ap.add_argument('--load', default=None, help='score this checkpoint instead of training')
    ap.add_argument('--threads', type=int, default=None, help='torch threads (default: torch\'s)')
    ap.add_argument('--out', default=None, help='append the run to this JSON file')
    a = ap.parse_args()
    if (a.steps is None) == (a.load is None):
        raise SystemExit("give one of --steps N (train) or --load DIR (score a checkpoint)")
    if a.threads:
        torch.set_num_threads(a.threads)
    print(header('cpu'), flush=True)
    if a.load:
        pipe = load_checkpoint(a.load)
        model, schedule, run = pipe.model, pipe.schedule, dict(steps=pipe.config['step'])
        run['model'] = pipe.config['model']
    else:
        model, schedule, run = trained(a.name, a.steps, a.set)
        run.update(set=' '.join(a.set), model=model.config.to_dict())
    run = dict(name=a.name, machine=header('cpu'), params=count_parameters(model), **run)
    run['rows'] = scores(a.name, model.eval(), schedule)
    if a.out:
        path = Path(a.out)
        runs = json.loads(path.read_text())['runs'] if path.exists() else []
        path.write_text(json.dumps(dict(runs=runs + [run]), indent=1) + '\n')


if __name__ == '__main__':
    main()
