"""Sample quality per minute of training on MNIST-10k: this package's default model against a diffusers reference.

    python benchmarks/quality_per_minute.py [--minutes 1 2 5] [--device cpu|cuda] [--no-reference] [--set KEY=VALUE ...]

`--set` changes one default of ours for an ablation: a `ContextUnet` argument (n_feat, n_blocks, attention, timesteps),
`schedule` (linear or cosine) or a `TrainConfig` field (batch_size, lr, min_snr_gamma, ema_decay, p_uncond, warmup),
each value read and checked as its `ddpm-course train` flag would be (`none` for None, `true`/`false` for a switch).

For each budget, trains from scratch with the defaults of `ddpm-course train` (model, schedule, `TrainConfig()`),
draws 500 conditional digits (50 per class) with the defaults of `ddpm-course sample` (sampler, calls, guidance) and
reports the chapter-06 metrics: FID and KID against the real digits (with the real-data floor at the same sample
size), class accuracy, plus training images/s, optimiser steps and peak memory. The reference is Hugging Face
diffusers' `UNet2DModel` (class-conditional, similar size) trained with `DDPMScheduler` (1000-step linear schedule,
plain MSE) under the same protocol (same data, batch size, learning rate, budget), sampled with diffusers'
DPM-Solver++ in the same number of calls; it has no null class, so no guidance (diffusers is a benchmark-only
dependency, in the `dev` extra). Default budgets: 1, 2 and 5 minutes on a CPU, 1 minute on a GPU."""

import argparse, resource, sys, time
from pathlib import Path
import torch
import torch.nn.functional as F
from ddpm_course.data import mnist10k
from ddpm_course.schedule import NoiseSchedule
from ddpm_course.unet import ContextUnet, ModelConfig, count_parameters
from ddpm_course.errors import ArgError
from ddpm_course.settings import parse_settings
from ddpm_course.training import train, TrainConfig, pick_device, DEFAULT_MODEL, DEFAULT_SCHEDULE
from ddpm_course.training import device_defaults
from ddpm_course.sampling import SamplingConfig
from ddpm_course.data import save_png
from ddpm_course.metrics import evaluate

sys.path.insert(0, str(Path(__file__).parent))
from machine import header

DEFAULTS = SamplingConfig()

N_EVAL, STEPS, BATCH, LR = (
    500,
    SamplingConfig().resolved(1000).n_calls,
    TrainConfig().batch_size,
    TrainConfig().lr,
)


def peak_mb(device):
    if device.type == 'cuda':
        return torch.cuda.max_memory_allocated(device) / 2**20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


FIXED_BY_DATA = ('in_channels', 'n_classes', 'image_size', 'context_dim')


def parse_overrides(pairs) -> tuple:
    "(model arguments, schedule name, TrainConfig arguments) from the defaults and `KEY=VALUE` overrides."
    schedule = next(
        (p.partition('=')[2] for p in pairs if p.startswith('schedule=')), DEFAULT_SCHEDULE
    )
    try:
        model, config = parse_settings(
            [p for p in pairs if not p.startswith('schedule=')], ModelConfig, TrainConfig
        )
    except ArgError as e:
        raise SystemExit(f"--{e}") from None
    fixed = sorted(set(model) & set(FIXED_BY_DATA))
    if fixed:
        raise SystemExit(f"--set: {fixed[0]} is fixed by the data (MNIST-10k's digits and classes)")
    return dict(DEFAULT_MODEL, **model), schedule, config


def ours(minutes, device, overrides=(), grid=None):
    model_args, schedule, config = parse_overrides(overrides)
    if not any(o.startswith('n_feat=') for o in overrides):  # the width `ddpm-course train` picks
        model_args['n_feat'] = device_defaults(device, ['n_feat'])['n_feat']
    torch.manual_seed(0)
    model = ContextUnet(in_channels=1, n_classes=10, image_size=28, **model_args)
    sched = getattr(NoiseSchedule, schedule)(model_args['timesteps'])
    res = train(
        model,
        sched,
        mnist10k(),
        TrainConfig(minutes=minutes, device=str(device), **config),
        progress='none',
    )
    if grid:  # the samples.png that `ddpm-course train` writes at the end
        save_png(
            res.pipeline.sample(
                torch.arange(10).repeat_interleave(8),
                generator=torch.Generator(device).manual_seed(0),
            ).cpu(),
            f"{grid}-{minutes:g}min.png",
            nrow=8,
        )
    asked = torch.arange(N_EVAL) % 10
    x = res.pipeline.sample(asked, generator=torch.Generator(device).manual_seed(1))
    return count_parameters(model), res.steps, res.images_per_second, evaluate(x.cpu(), asked)


def reference(minutes, device):
    from diffusers import UNet2DModel, DDPMScheduler, DPMSolverMultistepScheduler

    torch.manual_seed(0)
    model = UNet2DModel(
        sample_size=28,
        in_channels=1,
        out_channels=1,
        block_out_channels=(32, 64),
        layers_per_block=1,
        down_block_types=('DownBlock2D', 'AttnDownBlock2D'),
        up_block_types=('AttnUpBlock2D', 'UpBlock2D'),
        norm_num_groups=8,
        num_class_embeds=10,
    ).to(device)
    sched = DDPMScheduler(num_train_timesteps=1000)
    ds = mnist10k()
    images, labels = ds.images.to(device), ds.labels.to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=LR)
    g = torch.Generator(device).manual_seed(0)
    steps, t0 = 0, time.time()
    while time.time() - t0 < minutes * 60:
        idx = torch.randint(0, len(images), (BATCH,), device=device, generator=g)
        x0 = images[idx].float() / 127.5 - 1
        noise = torch.randn(x0.shape, device=device, generator=g)
        t = torch.randint(0, 1000, (BATCH,), device=device, generator=g)
        loss = F.mse_loss(
            model(sched.add_noise(x0, noise, t), t, class_labels=labels[idx]).sample, noise
        )
        opt.zero_grad()
        loss.backward()
        opt.step()
        steps += 1
    ips = steps * BATCH / (time.time() - t0)
    model.eval()
    solver = DPMSolverMultistepScheduler(num_train_timesteps=1000)
    solver.set_timesteps(STEPS)
    asked = torch.arange(N_EVAL, device=device) % 10
    x = torch.randn(
        N_EVAL, 1, 28, 28, device=device, generator=torch.Generator(device).manual_seed(1)
    )
    with torch.inference_mode():
        for t in solver.timesteps:
            x = solver.step(model(x, t, class_labels=asked).sample, t, x).prev_sample
    return (
        sum(p.numel() for p in model.parameters()),
        steps,
        ips,
        evaluate(x.clamp(-1, 1).cpu(), asked.cpu()),
    )


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        '--minutes',
        type=float,
        nargs='+',
        help='training budgets (default: 1 2 5 on a CPU, 1 on a GPU)',
    )
    p.add_argument('--device', default='auto')
    p.add_argument('--no-reference', action='store_true')
    p.add_argument(
        '--grid',
        help='save the sample grid of ours (as `ddpm-course train` draws it) to GRID-<M>min.png',
    )
    p.add_argument(
        '--set',
        nargs='*',
        default=[],
        metavar='KEY=VALUE',
        help='change a default of ours (an ablation)',
    )
    a = p.parse_args()
    device = pick_device(a.device)
    a.minutes = a.minutes or ([1] if device.type == 'cuda' else [1, 2, 5])
    head = header(device)  # the load average before this run adds its own
    rows = []
    for m in a.minutes:
        for name, fn in (('ddpm_course', ours), ('diffusers UNet2DModel', reference)):
            if a.no_reference and fn is reference:
                continue
            params, steps, ips, r = fn(m, device, a.set, a.grid) if fn is ours else fn(m, device)
            rows.append((m, name, params, steps, ips, r, peak_mb(device)))
            print(f"done: {name}, {m} min", flush=True)
    if a.set:
        print(f"\nours with {' '.join(a.set)}")
    print(
        f"\n{head}\n{N_EVAL} samples, {STEPS} calls; ours: {DEFAULTS.sampler}, guidance "
        f"{DEFAULTS.guidance} for σ_t in {DEFAULTS.guidance_interval}; the reference: diffusers DPM-Solver++, no guidance"
    )
    print(
        f"{'min':>4} {'model':<22}{'params':>9}{'steps':>7}{'img/s':>7}{'FID':>8}{'floor':>7}{'KID':>8}{'acc':>7}{'peak MB':>9}"
    )
    for m, name, params, steps, ips, r, mb in rows:
        print(
            f"{m:>4g} {name:<22}{params:>9,}{steps:>7}{ips:>7.0f}{r['fid']:>8.1f}{r['fid_floor']:>7.1f}{r['kid']:>8.2f}{r['class_accuracy']:>7.1%}{mb:>9.0f}"
        )
    for m in a.minutes:
        pair = [r for r in rows if r[0] == m]
        if len(pair) == 2:
            (o, ref) = pair[0][5], pair[1][5]
            print(
                f"{m:g} min: FID ratio reference/ours {ref['fid'] / o['fid']:.2f}; accuracy {o['class_accuracy']:.1%} vs {ref['class_accuracy']:.1%}; "
                f"ours at {o['fid'] / o['fid_floor']:.2f}× the real-data floor"
            )


if __name__ == '__main__':
    main()
