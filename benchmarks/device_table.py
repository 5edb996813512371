"""Issue 27's table for the device it runs on: one minute of training, then images/s, accuracy, precision, recall, FID.

    python benchmarks/device_table.py [--minutes 1] [--n 1000] [--peer-n N] [--rows defaults,peer,...] [--seed 0] [--device auto]

Every row trains from scratch for `--minutes` of wall-clock time on 8,000 of the MNIST-10k digits (chapter 06's
classifier split: the 8,000 its classifier was trained on), then draws `--n` digits (an equal number per class) with
the checkpoint's recommended sampling and scores them with chapter 06's classifier against 1,000 of the 2,000
held-out digits: class accuracy, improved precision/recall (k = 3, Kynkäänniemi et al. 2019) and the Fréchet
distance on the classifier's features; the FID floor is another n held-out digits against the same 1,000.
images/s is training images per wall-clock second; on a CPU, images/CPU-s divides by the CPU time the process got
instead, a figure that other jobs on a shared machine depress less (on CUDA it is left out: the GPU does the work).
'sampling s' is the wall-clock time of drawing the row's n digits.

Rows: ours through the library itself (`train` with `TrainConfig(minutes=…)`, the `Pipeline` it returns sampled with
its `SamplingConfig` defaults): the defaults, then a grid chosen by device (CUDA: issue 27's grid of batch sizes,
widths and learning rates; CPU: batch 16, two residual blocks per level, attention at 7×7, n_feat 24); and the peer
to beat, the DeepLearning.AI recipe (`dlai_peer.py`: its 2.0 M-parameter ContextUnet, batch 128, Adam, plain MSE;
500-step DDPM, no guidance).
All rows are trained first (the defaults and the peer back to back), then sampled and scored one by one, each line
printed as soon as it is known. The device is the library's choice (`pick_device`): the same command runs on CUDA."""

import argparse, os, sys, time
from pathlib import Path
import torch

sys.path.insert(0, str(Path(__file__).parent))
from dlai_peer import BATCH, PeerRecipe
from machine import header
from ddpm_course.data import CLASS_NAMES, ImageDataset, load_mnist10k
from ddpm_course.metrics import (
    classifier_split,
    fid_from_features,
    load_classifier,
    precision_recall_from_features,
)
from ddpm_course.schedule import NoiseSchedule
from ddpm_course.settings import pick_device
from ddpm_course.training import DEFAULT_MODEL, DEFAULT_SCHEDULE, TrainConfig, train
from ddpm_course.unet import ContextUnet, ModelConfig, count_parameters

# settings of ours per row (ContextUnet or TrainConfig fields); 'peer' is the DeepLearning.AI recipe
GRIDS = {
    'cuda': {
        'defaults': {},
        'peer': None,
        'b256-f32': dict(batch_size=256, n_feat=32, lr=4e-3),
        'b256-f32-bf16': dict(batch_size=256, n_feat=32, lr=4e-3, bf16=True),
        'b1024-f32': dict(batch_size=1024, n_feat=32, lr=8e-3),
        'b1024-f64': dict(batch_size=1024, n_feat=64, lr=6e-3),
        'b4096-f32': dict(batch_size=4096, n_feat=32, lr=1.2e-2),
    },
    'cpu': {
        'defaults': {},
        'peer': None,
        'b16': dict(batch_size=16),  # twice the steps in the same time
        'blocks2': dict(n_blocks=2),  # deeper: two residual blocks per level
        'attn': dict(attention=True),  # self-attention at the 7×7 level
        'f24': dict(n_feat=24),  # wider
    },
}


def model_width(overrides: dict, device) -> int:
    "n_feat of a row: the override, else the library's choice for the device where it makes one."
    import ddpm_course.training as tr

    if 'n_feat' in overrides:
        return overrides['n_feat']
    if hasattr(tr, 'device_defaults'):  # device-aware defaults (issue 27)
        return tr.device_defaults(device, ['n_feat']).get('n_feat', DEFAULT_MODEL['n_feat'])
    return DEFAULT_MODEL['n_feat']


def label(overrides: dict, cfg, model_args: dict) -> str:
    "The settings of a row of ours in words: batch, width, depth if not the default's, peak lr (and bf16)."
    depth = model_args['n_blocks']
    words = (
        f"batch {cfg.batch_size:,}, n_feat {model_args['n_feat']}"
        + (f", n_blocks {depth}" if depth != DEFAULT_MODEL['n_blocks'] else "")
        + (", attention at 7×7" if model_args.get('attention') else "")
        + f", lr {cfg.lr:g}"
        + (", bf16" if cfg.bf16 else "")
    )
    return f"defaults ({words})" if not overrides else words


def sampling_words(s) -> str:
    "A pipeline's sampling settings in words (the guidance interval, where the library has one)."
    lo, hi = getattr(s, 'guidance_sigma_min', None), getattr(s, 'guidance_sigma_max', None)
    where = f" for σ in ({lo:g}, {hi:g}]" if lo is not None or hi is not None else ""
    return f"{s.sampler} {s.n_calls} calls, guidance {s.guidance:g}{where}"


def train_ours(overrides, data, minutes, device, seed=0):
    is_model = lambda k: k in ModelConfig.__dataclass_fields__  # else a TrainConfig field
    model_args = dict(DEFAULT_MODEL, **{k: v for k, v in overrides.items() if is_model(k)})
    model_args['n_feat'] = model_width(overrides, device)
    config = {k: v for k, v in overrides.items() if not is_model(k)}
    torch.manual_seed(seed)
    model = ContextUnet(in_channels=1, n_classes=10, image_size=28, **model_args)
    schedule = getattr(NoiseSchedule, DEFAULT_SCHEDULE)(model_args['timesteps'])
    cfg = TrainConfig(
        minutes=minutes, device=str(device), seed=seed, **config
    )  # chooses what is left unset
    cpu0 = time.process_time()
    res = train(model, schedule, data, cfg, progress='none')
    return res, dict(
        params=count_parameters(model),
        steps=res.steps,
        ips=res.images_per_second,
        cpu_s=time.process_time() - cpu0,
        images=res.steps * cfg.batch_size,
        label=label(overrides, cfg, model_args),
    )


def training_digits() -> ImageDataset:
    "The 8,000 MNIST-10k digits chapter 06's classifier was trained on, as a dataset: what every row trains on."
    images, digits = load_mnist10k()
    mine = classifier_split()[0]
    return ImageDataset(images[mine], digits[mine], CLASS_NAMES, name='mnist8k')


class Scorer:
    "Chapter 06's classifier, 1,000 held-out digits as the reference, and the real digits' own scores at n."

    def __init__(self):
        self.clf, (self.images, self.digits) = load_classifier(), load_mnist10k()
        held = classifier_split()[1]
        self.ref, self.other = held[: len(held) // 2], held[len(held) // 2 :]
        self.ref_f = self.clf.embed(self.images[self.ref])

    def __call__(self, x, labels) -> dict:
        f = self.clf.embed(x)
        acc = (self.clf.predict(x) == labels).float().mean().item()
        pr = precision_recall_from_features(self.ref_f, f)
        return dict(accuracy=acc, **pr, fid=fid_from_features(f, self.ref_f))

    def real(self, n) -> dict:
        "The real held-out digits not in the reference, the first n of them (the FID floor)."
        idx = self.other[:n]
        return self(self.images[idx], self.digits[idx])


def asked(n) -> torch.Tensor:
    "n class labels, an equal number per class (any first 10·k of them hold k of each)."
    return torch.arange(n) % 10


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split('\n')[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument('--minutes', type=float, default=1.0, help='training budget of every row')
    ap.add_argument(
        '--n', type=int, default=1000, help='digits drawn per row of ours (default 1000)'
    )
    ap.add_argument(
        '--peer-n',
        type=int,
        default=None,
        help="digits drawn for the peer (default: --n; 500 DDPM steps each)",
    )
    ap.add_argument(
        '--rows', default=None, help='comma-separated row names (default: the grid of the device)'
    )
    ap.add_argument(
        '--device', default='auto', help='auto (the library chooses), cpu, cuda, cuda:N'
    )
    ap.add_argument(
        '--textbook-noise', action='store_true', help="peer: √(1−ᾱ) noise (see dlai_peer.py)"
    )
    ap.add_argument(
        '--seed',
        type=int,
        default=0,
        help='seed of our rows: initial weights and batches (default 0)',
    )
    ap.add_argument('--out', default=None, help='also write the table to this markdown file')
    a = ap.parse_args()
    device = pick_device(a.device)
    grid = GRIDS['cuda' if device.type == 'cuda' else 'cpu']
    names = a.rows.split(',') if a.rows else list(grid)
    all_rows = {**GRIDS['cpu'], **GRIDS['cuda']}
    unknown = [r for r in names if r not in all_rows]
    if unknown:
        ap.error(f"--rows: unknown row {unknown[0]!r}; rows: {', '.join(all_rows)}")
    peer_n = a.peer_n or a.n
    for flag, n in (('--n', a.n), ('--peer-n', peer_n)):
        if n < 10 or n % 10 or n > 1000:
            ap.error(
                f"{flag}: expected a multiple of 10 from 10 to 1000 (as many per class), got {n}"
            )
    head = header(device)
    print(head, flush=True)
    data = training_digits()

    trained = {}  # phase 1: train every row (the defaults and the peer back to back)
    for name in names:
        if all_rows[name] is None:
            peer, cpu0 = PeerRecipe(device, textbook_noise=a.textbook_noise), time.process_time()
            r = peer.train(data.images, data.labels, a.minutes)
            info = dict(params=peer.parameters(), steps=r['steps'], ips=r['images_per_second'])
            info['images'] = r['steps'] * BATCH
            trained[name] = (peer, dict(info, cpu_s=time.process_time() - cpu0))
        else:
            trained[name] = train_ours(all_rows[name], data, a.minutes, device, a.seed)
        info = trained[name][1]
        info['per_cpu_s'] = info['images'] / info['cpu_s'] if device.type == 'cpu' else None
        print(f"trained {name}: {info['steps']} steps, {info['ips']:,.0f} images/s", flush=True)

    score, lines = Scorer(), []
    floors = {n: score.real(n) for n in sorted({a.n, peer_n})}
    table = [
        head,
        f"{a.minutes:g} min of training on 8,000 digits (seed {a.seed}); scored against 1,000 held-out digits",
        "",
        "| settings | params | steps | images/s | images/CPU-s | n | accuracy | precision | recall | FID "
        "| FID floor | sampling s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    print('\n'.join(table[2:]), flush=True)
    for n, r in floors.items():
        lines.append(
            f"| real held-out digits (another {n:,}) | | | | | {n:,} | {r['accuracy']:.3f} | "
            f"{r['precision']:.2f} | {r['recall']:.2f} | {r['fid']:.1f} | | |"
        )
        print(lines[-1], flush=True)
    for name in sorted(names, key=lambda r: all_rows[r] is None):  # the peer's long sampling last
        obj, info = trained[name]
        n = peer_n if all_rows[name] is None else a.n
        labels, gen = asked(n), torch.Generator(device).manual_seed(1)
        t0 = time.time()
        if all_rows[name] is None:
            x, what = (
                obj.sample(labels, gen),
                "DeepLearning.AI recipe (ContextUnet, batch 128, lr 1e-3)",
            )
            what += ", DDPM 500 steps, no guidance"
        else:
            s = obj.pipeline.sampling
            x = obj.pipeline.sample(labels.to(device), generator=gen).cpu()
            what = f"{info['label']}, {sampling_words(s)}"
        secs = time.time() - t0
        r = score(x, labels)
        per_cpu = '—' if info['per_cpu_s'] is None else f"{info['per_cpu_s']:,.0f}"
        lines.append(
            f"| {what} | {info['params']:,} | {info['steps']:,} | {info['ips']:,.0f} | "
            f"{per_cpu} | {n:,} | {r['accuracy']:.3f} | {r['precision']:.2f} | "
            f"{r['recall']:.2f} | {r['fid']:.1f} | {floors[n]['fid']:.1f} | {secs:.0f} |"
        )
        print(lines[-1], flush=True)
        if all_rows[name] is not None and peer_n < a.n and 'peer' in names:
            q = score(
                x[:peer_n], labels[:peer_n]
            )  # the same row at the peer's n, to compare with it
            lines.append(
                f"| … its first {peer_n:,} digits | | | | | {peer_n:,} | {q['accuracy']:.3f} | "
                f"{q['precision']:.2f} | {q['recall']:.2f} | {q['fid']:.1f} | "
                f"{floors[peer_n]['fid']:.1f} | |"
            )
            print(lines[-1], flush=True)
    load = os.getloadavg()[0] if hasattr(os, 'getloadavg') else float('nan')
    tail = f"\nload average {load:.1f} at the end"
    print(tail, flush=True)
    if a.out:
        Path(a.out).write_text('\n'.join(table + lines) + '\n' + tail + '\n')


if __name__ == '__main__':
    main()
