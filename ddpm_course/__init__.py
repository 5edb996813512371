__version__ = "0.0.1"
from ._version import __version__

# The curated public API, so that `import ddpm_course as dc; dc.train(...)` works. Each name is
# defined (and taught) in its chapter's module; this file only says which. A name loads its module
# on first use (PEP 562): `import ddpm_course` alone does not load PyTorch, so that the command's
# entry point (ddpm_course.console, chapter 07b) handles Ctrl-C and SIGTERM before anything loads.
from importlib import import_module as _import_module
from importlib.util import find_spec as _find_spec

_MODULES = {
    'errors': ['CourseError', 'ArgError', 'ArgTypeError', 'NotFound', 'CheckpointError'],
    'data': ['DataError', 'ImageDataset', 'mnist10k', 'load_dataset', 'to_model_range', 'to_uint8',
             'image_grid', 'show_images', 'save_png', 'save_gif'],
    'settings': ['Settings', 'setting'],
    'schedule': ['NoiseSchedule'],
    'unet': ['ContextUnet', 'ModelConfig'],
    'sampling': ['SamplingConfig', 'Sampler', 'DDPM', 'DDIM', 'DPMSolver', 'sample_loop',
                 'run_sampler', 'ddpm_sample', 'ddim_sample', 'dpm_sample'],
    'checkpoint': ['save_checkpoint', 'read_checkpoint', 'convert_state_dict'],
    'pipeline': ['Pipeline', 'load_checkpoint', 'load_pretrained'],
    'training': ['TrainConfig', 'TrainResult', 'EMA', 'diffusion_loss', 'train'],
    'metrics': ['evaluate', 'load_classifier'],
    'editing': ['EditConfig', 'sdedit', 'inpaint', 'ddim_invert', 'Inpaint', 'DDIMInversion'],
}
_WHERE = {name: module for module, names in _MODULES.items() for name in names}
__all__ = list(_WHERE)


def __getattr__(name: str):
    "The public name `name`, or the module `ddpm_course.name`, imported on first use (and kept)."
    if name in _WHERE:
        value = getattr(_import_module(f'.{_WHERE[name]}', __name__), name)
    elif name.isidentifier() and not name.startswith('__') and _find_spec(f'{__name__}.{name}'):
        value = _import_module(f'.{name}', __name__)  # a module: `ddpm_course.data`
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    return sorted({*globals(), *__all__})
