"""Training and sampling throughput of the default model, with batch size and image size varied, and the speed options.

    python benchmarks/throughput.py [--device cpu|cuda] [--quick]

Prints three tables:
1. training images/s and peak memory for image sizes 16, 28, 32 px and several batch sizes;
2. sampling images/s of each sampler at its usual number of network calls, with classifier-free guidance (two
   network evaluations per call, batched), and the time `ddpm-course sample` needs for 1,000 digits from the shipped
   checkpoint with its defaults;
3. network evaluations/s for the speed options: chunk size, channels_last, torch.compile.
Peak memory: CUDA, allocated by PyTorch; CPU, the process's peak resident size so far."""

import argparse, resource, sys, time
from pathlib import Path
import torch
from ddpm_course.schedule import NoiseSchedule
from ddpm_course.unet import ContextUnet, count_parameters
from ddpm_course.training import (
    pick_device,
    diffusion_loss,
    TrainConfig,
    DEFAULT_MODEL,
    DEFAULT_SCHEDULE,
)
from ddpm_course.pipeline import load_pretrained
from ddpm_course.sampling import ddpm_sample, ddim_sample, dpm_sample
from ddpm_course.sampling import SamplingConfig

sys.path.insert(0, str(Path(__file__).parent))
from machine import header

DEFAULT_GUIDANCE = SamplingConfig().guidance


def peak_mb(device):
    if device.type == 'cuda':
        return torch.cuda.max_memory_allocated(device) / 2**20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def sync(device):
    if device.type == 'cuda':
        torch.cuda.synchronize(device)


def timed(fn, device, repeat=1):
    "Seconds per call of `fn` after one warm-up call."
    fn()
    sync(device)
    t0 = time.time()
    for _ in range(repeat):
        fn()
    sync(device)
    return (time.time() - t0) / repeat


def default_model(size, device):
    torch.manual_seed(0)
    return ContextUnet(in_channels=1, n_classes=10, image_size=size, **DEFAULT_MODEL).to(device)


def train_rate(model, sched, bs, device, steps, bf16=False):
    cfg = TrainConfig()
    opt = torch.optim.AdamW(model.parameters(), cfg.lr)
    x0 = torch.rand(bs, model.in_channels, *model.image_size, device=device) * 2 - 1
    y = torch.randint(0, 10, (bs,), device=device)

    def step():
        with torch.autocast('cuda', dtype=torch.bfloat16, enabled=bf16):
            loss = diffusion_loss(model, sched, x0, y, min_snr_gamma=cfg.min_snr_gamma)
        opt.zero_grad()
        loss.backward()
        opt.step()

    return bs / timed(step, device, steps)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--device', default='auto')
    p.add_argument('--quick', action='store_true', help='fewer configurations')
    p.add_argument(
        '--no-compile',
        action='store_true',
        help='skip the torch.compile row (it compiles for a minute or so)',
    )
    a = p.parse_args()
    device = pick_device(a.device)
    gpu = device.type == 'cuda'
    sched = getattr(NoiseSchedule, DEFAULT_SCHEDULE)(DEFAULT_MODEL['timesteps'])
    print(header(device))
    print(f"default model {DEFAULT_MODEL}, {DEFAULT_SCHEDULE} schedule\n")

    print("1. training")
    print(f"{'size':>5}{'batch':>7}{'params':>9}{'img/s':>9}{'peak MB':>9}")
    sizes = [28] if a.quick else [16, 28, 32]
    quick = sorted({TrainConfig(device=str(device)).batch_size, 32})  # the default and the old one
    batches = (quick if a.quick else [8, 16, 32, 64, 128]) if not gpu else [128, 512, 2048]
    for size in sizes:
        for bs in batches:
            model = default_model(size, device)
            if gpu:
                torch.cuda.reset_peak_memory_stats(device)
            tr = train_rate(model, sched, bs, device, steps=5 if not gpu else 20)
            print(
                f"{size:>5}{bs:>7}{count_parameters(model):>9,}{tr:>9.0f}{peak_mb(device):>9.0f}",
                flush=True,
            )
    if gpu:  # `--bf16` of `ddpm-course train`
        model = default_model(28, device)
        torch.cuda.reset_peak_memory_stats(device)
        tr = train_rate(model, sched, batches[-1], device, steps=20, bf16=True)
        print(
            f"{28:>5}{batches[-1]:>7}{count_parameters(model):>9,}{tr:>9.0f}{peak_mb(device):>9.0f}  bf16 autocast",
            flush=True,
        )

    print(f"\n2. sampling, 28 px, guidance w = {DEFAULT_GUIDANCE} (images/s)")
    model = default_model(28, device).eval()
    n = 1000 if gpu else 100
    c = torch.arange(n, device=device) % 10
    shape = (n, 1, 28, 28)
    runs = [
        (
            'DDIM',
            50,
            lambda: ddim_sample(
                model, sched, shape, n_calls=50, context=c, guidance=DEFAULT_GUIDANCE
            ),
        ),
        (
            'DPM-Solver++',
            20,
            lambda: dpm_sample(
                model, sched, shape, n_calls=20, context=c, guidance=DEFAULT_GUIDANCE
            ),
        ),
        (
            'DPM-Solver++',
            10,
            lambda: dpm_sample(
                model, sched, shape, n_calls=10, context=c, guidance=DEFAULT_GUIDANCE
            ),
        ),
    ]
    if gpu or not a.quick:
        runs.insert(
            0,
            (
                'DDPM',
                sched.T,
                lambda: ddpm_sample(
                    model,
                    sched,
                    (n // 10, 1, 28, 28),
                    context=c[: n // 10],
                    guidance=DEFAULT_GUIDANCE,
                ),
            ),
        )
    for name, calls, fn in runs:
        k = n // 10 if name == 'DDPM' else n
        t = time.time()
        fn()
        sync(device)
        secs = time.time() - t
        print(f"{name:<14}{calls:>5} calls{k / secs:>10.1f}", flush=True)
    pre = load_pretrained(device=device)
    labels = torch.arange(1000) % 10
    secs = timed(lambda: pre.sample(labels), device, 1)
    s = pre.sampling
    print(
        f"1,000 digits from the shipped checkpoint with its sampling ({s.sampler}, {s.n_calls} calls, "
        f"w = {s.guidance} for σ_t in {s.guidance_interval}): {secs:.1f} s",
        flush=True,
    )

    print("\n3. speed options: network evaluations/s of the default model (inference, 28 px)")

    def evals(m, bs, memory_format=torch.contiguous_format, reps=3):
        x = torch.randn(bs, 1, 28, 28, device=device).contiguous(memory_format=memory_format)
        t, y = torch.full((bs,), 100, device=device), torch.arange(bs, device=device) % 10
        with torch.inference_mode():
            return bs / timed(lambda: m(x, t, y), device, reps)

    chunks = [64, 256, 1024] if not gpu else [256, 1024, 4096]
    for bs in chunks:
        print(f"chunk {bs:>5}: {evals(model, bs):>9.0f}", flush=True)
    cl = default_model(28, device).eval().to(memory_format=torch.channels_last)
    print(
        f"channels_last, chunk {chunks[1]}: {evals(cl, chunks[1], torch.channels_last):>9.0f}",
        flush=True,
    )
    if not a.no_compile:
        t0 = time.time()
        compiled = torch.compile(model)
        evals(compiled, chunks[1], reps=1)  # compiles
        print(
            f"torch.compile, chunk {chunks[1]}: {evals(compiled, chunks[1]):>9.0f} (first call incl. compiling {time.time() - t0:.0f} s)",
            flush=True,
        )


if __name__ == '__main__':
    main()
