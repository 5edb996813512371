"""Training and sampling throughput of the default model, with batch size and image size varied.

    python benchmarks/throughput.py [--device cpu|cuda] [--quick]

Prints one table: training images/s, sampling images/s for each sampler at its usual number of network calls
(classifier-free guidance on, as `ddpm-course sample` does), and peak memory (CUDA: allocated by PyTorch;
CPU: the process's peak resident size so far)."""
import argparse, resource, time
import torch
from ddpm_course.schedule import NoiseSchedule
from ddpm_course.unet import ContextUnet, count_parameters
from ddpm_course.training import pick_device, diffusion_loss
from ddpm_course.sampling import ddpm_sample, ddim_sample, dpm_sample

def peak_mb(device):
    if device.type == 'cuda': return torch.cuda.max_memory_allocated(device) / 2**20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def sync(device):
    if device.type == 'cuda': torch.cuda.synchronize(device)

def train_rate(model, sched, bs, size, device, steps):
    opt = torch.optim.AdamW(model.parameters(), 2e-3)
    x0 = torch.rand(bs, model.in_channels, size, size, device=device) * 2 - 1
    y = torch.randint(0, 10, (bs,), device=device)
    for i in range(steps + 2):
        if i == 2: sync(device); t0 = time.time()
        loss = diffusion_loss(model, sched, x0, y)
        opt.zero_grad(); loss.backward(); opt.step()
    sync(device)
    return bs * steps / (time.time() - t0)

def sample_rate(fn, n, device):
    fn(min(n, 8)); sync(device)                     # warm-up
    t0 = time.time(); fn(n); sync(device)
    return n / (time.time() - t0)

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--device', default='auto'); p.add_argument('--quick', action='store_true', help='fewer configurations')
    a = p.parse_args()
    device = pick_device(a.device)
    sched = NoiseSchedule.linear(500)
    big = device.type == 'cuda'
    print(f"device: {torch.cuda.get_device_name(device) if big else 'CPU'} ({torch.get_num_threads()} threads), torch {torch.__version__}")
    print(f"{'size':>5}{'batch':>7}{'params':>9}{'train img/s':>13}{'DDPM-500':>10}{'DDIM-50':>9}{'DPM++-20':>10}{'DPM++-10':>10}{'peak MB':>9}")
    sizes = [28] if a.quick else [16, 28, 32]
    batches = ([64] if a.quick else [16, 32, 64, 128]) if not big else [128, 512]
    for size in sizes:
        for bs in batches:
            torch.manual_seed(0)
            model = ContextUnet(in_channels=1, n_feat=32, n_blocks=1, image_size=size, timesteps=500).to(device)
            tr = train_rate(model, sched, bs, size, device, steps=3 if not big else 20)
            model.eval()
            n = 256 if big else 64
            shape = lambda k: (k, 1, size, size)
            c = lambda k: torch.arange(k, device=device) % 10
            rates = []
            for name, fn in (('ddpm', lambda k: ddpm_sample(model, sched, shape(k), context=c(k), guidance=2.0)) if bs == batches[0] else (None, None),
                             ('ddim', lambda k: ddim_sample(model, sched, shape(k), steps=50, context=c(k), guidance=2.0)),
                             ('dpm20', lambda k: dpm_sample(model, sched, shape(k), steps=20, context=c(k), guidance=2.0)),
                             ('dpm10', lambda k: dpm_sample(model, sched, shape(k), steps=10, context=c(k), guidance=2.0))):
                rates.append(sample_rate(fn, n, device) if fn else float('nan'))
            print(f"{size:>5}{bs:>7}{count_parameters(model):>9,}{tr:>13.0f}" + ''.join(f"{r:>10.1f}" if i != 1 else f"{r:>9.1f}" for i, r in enumerate(rates)) + f"{peak_mb(device):>9.0f}")
    print("(sampling columns: images/s with guidance w = 2, i.e. two network evaluations per call; DDPM measured once per size)")

if __name__ == '__main__':
    main()
