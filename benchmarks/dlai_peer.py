"""The peer to beat: the recipe of DeepLearning.AI's short course "How Diffusion Models Work" (Sharon Zhou, 2023,
https://www.deeplearning.ai/short-courses/how-diffusion-models-work/), re-implemented compactly from its description.

    python benchmarks/dlai_peer.py [--n-feat 64] [--size 28] [--check]   # parameter count; sampler check

What the recipe is, as the course teaches it (lessons "Training" and "Controlling"):
- network: its `ContextUnet` — a first residual block (two 3×3 conv → BatchNorm → GELU layers, a skip added and the sum
  divided by √2), two down levels (two such blocks without the skip, then 2× max-pooling; widths n_feat, 2·n_feat),
  the bottleneck an average pool over the whole 7×7 map (28 px) with a GELU, spread back by a 7×7 transposed conv,
  GroupNorm(8) and ReLU; two up levels (concatenate the skip, 2× transposed conv, two blocks), each fed
  `context_embedding · features + time_embedding`, the embeddings two-layer MLPs (`EmbedFC`: Linear, GELU, Linear) of
  the one-hot class and of the time t/T as one number; out: conv, GroupNorm, ReLU, conv on the last features
  concatenated with the first block's. n_feat 64 (the width the course trains), about 2.0 M parameters at 28 px.
- diffusion: T = 500, β linear from 1e-4 to 0.02 (T + 1 values, ᾱ_0 = 1), t drawn from 1 … T; the network is told t/T.
  The course's `perturb_input` scales the noise by (1 − ᾱ_t), not by √(1 − ᾱ_t) as the DDPM forward process does;
  `--textbook-noise` (`PeerRecipe(textbook_noise=True)`) uses √(1 − ᾱ_t) instead. Our rows are unaffected.
- training: plain MSE between the predicted and the drawn noise, Adam at lr 1e-3 decayed linearly to 0 over the run
  (the course decays it per epoch; here over the time budget), the class one-hot zeroed for 10% of the images (its
  context mask), no EMA, batch 128 (issue 27's protocol; the course used 100 sprites).
- sampling: ancestral DDPM over all 500 steps, x ← (x − ε̂ β_t/√(1 − ᾱ_t))/√α_t + √β_t z (z = 0 at the last step),
  conditioned on the one-hot class, no guidance, network in eval mode (BatchNorm's running statistics).

No code of the course is copied here; the names of the parts follow the course so that a reader can find them there."""

import argparse, math, time
import torch
import torch.nn.functional as F
from torch import nn

T, BETA1, BETA2, LR, BATCH, P_MASK = 500, 1e-4, 0.02, 1e-3, 128, 0.1


class ResidualConvBlock(nn.Module):
    "Two 3×3 conv → BatchNorm → GELU layers; with `residual`, plus the input (1×1-projected if needed), over √2."

    def __init__(self, cin, cout, residual=False):
        super().__init__()
        layer = lambda a, b: nn.Sequential(nn.Conv2d(a, b, 3, 1, 1), nn.BatchNorm2d(b), nn.GELU())
        self.body = nn.Sequential(layer(cin, cout), layer(cout, cout))
        self.residual = residual
        self.proj = nn.Conv2d(cin, cout, 1) if residual and cin != cout else nn.Identity()

    def forward(self, x):
        h = self.body(x)
        return (self.proj(x) + h) / math.sqrt(2) if self.residual else h


def UnetDown(cin, cout):
    return nn.Sequential(
        ResidualConvBlock(cin, cout), ResidualConvBlock(cout, cout), nn.MaxPool2d(2)
    )


class UnetUp(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.up = nn.ConvTranspose2d(cin, cout, 2, 2)
        self.blocks = nn.Sequential(ResidualConvBlock(cout, cout), ResidualConvBlock(cout, cout))

    def forward(self, x, skip):
        return self.blocks(self.up(torch.cat([x, skip], 1)))


class EmbedFC(nn.Module):
    def __init__(self, din, dout):
        super().__init__()
        self.din, self.net = (
            din,
            nn.Sequential(nn.Linear(din, dout), nn.GELU(), nn.Linear(dout, dout)),
        )

    def forward(self, v):
        return self.net(v.reshape(-1, self.din))[:, :, None, None]


class ContextUnet(nn.Module):
    "The course's noise predictor: `model(x_t, t/T as float [N], one-hot context float [N, n_classes]) -> ε̂`."

    def __init__(self, in_channels=1, n_feat=64, n_classes=10, size=28):
        super().__init__()
        nf, k = n_feat, size // 4
        self.n_classes = n_classes
        self.init_conv = ResidualConvBlock(in_channels, nf, residual=True)
        self.down1, self.down2 = UnetDown(nf, nf), UnetDown(nf, 2 * nf)
        self.to_vec = nn.Sequential(nn.AvgPool2d(k), nn.GELU())
        self.timeembed1, self.timeembed2 = EmbedFC(1, 2 * nf), EmbedFC(1, nf)
        self.contextembed1, self.contextembed2 = EmbedFC(n_classes, 2 * nf), EmbedFC(n_classes, nf)
        self.up0 = nn.Sequential(
            nn.ConvTranspose2d(2 * nf, 2 * nf, k, k), nn.GroupNorm(8, 2 * nf), nn.ReLU()
        )
        self.up1, self.up2 = UnetUp(4 * nf, nf), UnetUp(2 * nf, nf)
        self.out = nn.Sequential(
            nn.Conv2d(2 * nf, nf, 3, 1, 1),
            nn.GroupNorm(8, nf),
            nn.ReLU(),
            nn.Conv2d(nf, in_channels, 3, 1, 1),
        )

    def forward(self, x, t, c):
        x0 = self.init_conv(x)
        d1 = self.down1(x0)
        d2 = self.down2(d1)
        h = self.up0(self.to_vec(d2))
        h = self.up1(self.contextembed1(c) * h + self.timeembed1(t), d2)
        h = self.up2(self.contextembed2(c) * h + self.timeembed2(t), d1)
        return self.out(torch.cat([h, x0], 1))


class PeerRecipe:
    "The course's schedule, training step and DDPM sampler around a `ContextUnet`."

    def __init__(self, device, n_feat=64, textbook_noise=False, seed=0):
        torch.manual_seed(seed)
        self.device, self.model = device, ContextUnet(n_feat=n_feat).to(device)
        b = (BETA2 - BETA1) * torch.linspace(0, 1, T + 1) + BETA1
        a = 1 - b
        ab = torch.cumsum(a.log(), 0).exp()
        ab[0] = 1
        self.b, self.a, self.ab = (v.to(device) for v in (b, a, ab))
        self.noise_scale = (1 - self.ab).sqrt() if textbook_noise else 1 - self.ab
        self.g = torch.Generator(device).manual_seed(seed)

    def parameters(self) -> int:
        return sum(p.numel() for p in self.model.parameters())

    def train(self, images, labels, minutes, batch=BATCH, lr=LR) -> dict:
        """Train for `minutes` of wall-clock time on uint8 `images` [N, 1, 28, 28] and int64 `labels`;
        returns steps, seconds and images/s."""
        dev, g, m = self.device, self.g, self.model
        x_all = images.to(dev).float() / 127.5 - 1
        onehot = F.one_hot(labels.to(dev), m.n_classes).float()
        opt = torch.optim.Adam(m.parameters(), lr=lr)
        m.train()
        steps, order, pos, limit, t0 = 0, None, len(x_all), minutes * 60, time.time()
        while True:
            if dev.type == 'cuda' and steps % 10 == 0:  # let the clock see the queued work
                torch.cuda.synchronize(dev)
            if time.time() - t0 >= limit:
                break
            if pos + batch > len(x_all):  # epochs of shuffled batches, as the course's DataLoader
                order, pos = torch.randperm(len(x_all), device=dev, generator=g), 0
            idx = order[pos : pos + batch]
            pos += batch
            x0, c = x_all[idx], onehot[idx]
            noise = torch.randn(x0.shape, device=dev, generator=g)
            t = torch.randint(1, T + 1, (batch,), device=dev, generator=g)
            x_t = (
                self.ab[t].sqrt()[:, None, None, None] * x0
                + self.noise_scale[t][:, None, None, None] * noise
            )
            keep = torch.bernoulli(torch.full((batch, 1), 1 - P_MASK, device=dev), generator=g)
            loss = F.mse_loss(m(x_t, t.float() / T, c * keep), noise)
            for group in opt.param_groups:
                group['lr'] = lr * max(0.0, 1 - (time.time() - t0) / limit)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            steps += 1
        secs = time.time() - t0
        return dict(steps=steps, seconds=secs, images_per_second=steps * batch / secs)

    @torch.inference_mode()
    def sample(self, labels, generator, chunk=None) -> torch.Tensor:
        "500-step ancestral DDPM, conditioned on `labels`, no guidance: float images [N, 1, 28, 28] in [-1, 1] (CPU)."
        m, dev = self.model.eval(), self.device
        chunk = chunk or (64 if dev.type == 'cpu' else 4096)
        out = []
        for lab in labels.split(chunk):
            c = F.one_hot(lab.to(dev), m.n_classes).float()
            x = torch.randn((len(lab), 1, 28, 28), device=dev, generator=generator)
            for i in range(T, 0, -1):
                eps = m(x, torch.full((len(lab),), i / T, device=dev), c)
                x = (x - eps * (1 - self.a[i]) / (1 - self.ab[i]).sqrt()) / self.a[i].sqrt()
                if i > 1:
                    x = x + self.b[i].sqrt() * torch.randn(x.shape, device=dev, generator=generator)
            out.append(x.clamp(-1, 1).cpu())
        return torch.cat(out)


class _Oracle(nn.Module):
    "The exact noise predictor for data whose pixels are N(0, s²): E[ε | x_t] = √(1 − ᾱ_t) x_t / (ᾱ_t s² + 1 − ᾱ_t)."

    def __init__(self, recipe, s):
        super().__init__()
        self.recipe, self.s, self.n_classes = recipe, s, 10
        self.w = nn.Parameter(torch.zeros(1))  # something for `.eval()` and devices to see

    def forward(self, x, t, c):
        ab = self.recipe.ab[(t * T).round().long()][:, None, None, None]
        return (1 - ab).sqrt() * x / (ab * self.s**2 + 1 - ab)


def check_sampler(s=0.3, tol=0.01) -> float:
    """The DDPM sampler, given the exact noise predictor of N(0, s²) pixels, must draw pixels of
    standard deviation s (within `tol`); returns the one it drew."""
    recipe = PeerRecipe(torch.device('cpu'))
    recipe.model = _Oracle(recipe, s)
    got = recipe.sample(torch.arange(64) % 10, torch.Generator().manual_seed(0)).std().item()
    if not abs(got - s) < tol:
        raise SystemExit(f"dlai_peer: the DDPM sampler drew pixels of std {got:.3f}, not {s}")
    return got


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--n-feat', type=int, default=64)
    ap.add_argument('--size', type=int, default=28)
    ap.add_argument(
        '--check', action='store_true', help="check the sampler's arithmetic (a few seconds)"
    )
    a = ap.parse_args()
    if a.check:
        print(f"sampler check passed: pixels of std {check_sampler():.3f} for data of std 0.3")
    m = ContextUnet(n_feat=a.n_feat, size=a.size)
    print(
        f"ContextUnet(n_feat={a.n_feat}, {a.size} px): {sum(p.numel() for p in m.parameters()):,} parameters"
    )


if __name__ == '__main__':
    main()
