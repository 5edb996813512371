"""Export a shipped checkpoint's noise predictor to ONNX, for the docs site's live demo (tools/build_demo.py).

The graph is the model's own forward, `eps = model(x, t, c)`, with the batch size left free:
  x   float32 [N, C, H, W]   noisy images
  t   int64   [N]            time steps 0 … T-1
  c   float32 [N, n_classes] context vectors (one-hot for a class, zeros for the null context of guidance)
  eps float32 [N, C, H, W]   the predicted noise

Usage: python tools/export_onnx.py OUT.onnx [--name mnist]"""

import argparse, json, warnings
from pathlib import Path
import torch

INPUTS, OUTPUT = ('x', 't', 'c'), 'eps'


def example_inputs(model, n: int):
    "A batch of `n` valid inputs for `model`: noise, distinct time steps, one-hot contexts."
    g = torch.Generator().manual_seed(0)
    x = torch.randn(n, model.in_channels, *model.image_size, generator=g)
    t = torch.linspace(0, model.timesteps - 1, n).round().long()
    c = torch.nn.functional.one_hot(torch.arange(n) % model.n_classes, model.context_dim).float()
    return x, t, c


def export_onnx(
    path,  # where to write the .onnx file
    name: str = 'mnist',
):  # which shipped checkpoint (`ddpm_course.load_pretrained`)
    "Write the shipped model `name` as ONNX with a free batch size, check it, and return the checkpoint's config."
    from ddpm_course.pipeline import load_pretrained

    pipe = load_pretrained(name)
    model, config = pipe.model, {**pipe.config, 'sampling': pipe.sampling.to_dict()}
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    batch = torch.export.Dim('batch', min=1, max=4096)
    with warnings.catch_warnings():
        # The network's forward is one graph (no host synchronisation, no branch on a value: chapter 02), so the
        # exporter built on torch.export takes it as it is, with the batch size free.
        warnings.simplefilter('ignore')
        torch.onnx.export(
            model,
            example_inputs(model, 2),
            str(path),
            input_names=list(INPUTS),
            output_names=[OUTPUT],
            dynamic_shapes={k: {0: batch} for k in INPUTS},
            opset_version=18,
            dynamo=True,
            external_data=False,
            verbose=False,
        )
    check(path, model)
    return config


def check(path, model, n: int = 3, tol: float = 1e-4):
    "Run the ONNX file with onnx's reference evaluator on a batch size other than the exported one; compare with torch."
    import numpy as np, onnx
    from onnx.reference import ReferenceEvaluator

    onnx.checker.check_model(onnx.load(str(path)))
    inputs = example_inputs(model, n)
    (got,) = ReferenceEvaluator(str(path)).run(None, {k: v.numpy() for k, v in zip(INPUTS, inputs)})
    with torch.no_grad():
        want = model(*inputs).numpy()
    err = float(np.abs(got - want).max())
    if not err < tol:
        raise RuntimeError(
            f"{path}: the ONNX graph differs from the torch model by {err:.3g} (batch {n})"
        )
    return err


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('out')
    p.add_argument('--name', default='mnist')
    a = p.parse_args()
    config = export_onnx(a.out, a.name)
    print(
        json.dumps(
            dict(
                onnx=a.out,
                bytes=Path(a.out).stat().st_size,
                model=config['model'],
                schedule=config['schedule'],
            )
        )
    )
