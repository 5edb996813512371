__version__ = "0.0.1"
from ._version import __version__

# The curated public API, so that `import ddpm_course as dc; dc.train(...)` works. Each name is
# defined (and taught) in its chapter's module; this file only gathers them.
from .errors import CourseError, ArgError, ArgTypeError, NotFound, CheckpointError
from .data import (DataError, ImageDataset, mnist10k, load_dataset, to_model_range, to_uint8,
                   image_grid, show_images, save_png, save_gif)
from .settings import Settings, setting
from .schedule import NoiseSchedule
from .unet import ContextUnet, ModelConfig
from .sampling import (SamplingConfig, Sampler, DDPM, DDIM, DPMSolver, sample_loop, run_sampler,
                       ddpm_sample, ddim_sample, dpm_sample)
from .checkpoint import save_checkpoint, read_checkpoint, convert_state_dict
from .pipeline import Pipeline, load_checkpoint, load_pretrained
from .training import TrainConfig, TrainResult, EMA, diffusion_loss, train
from .metrics import evaluate, load_classifier
from .editing import EditConfig, sdedit, inpaint, ddim_invert, Inpaint, DDIMInversion

__all__ = ['CourseError', 'ArgError', 'ArgTypeError', 'NotFound', 'CheckpointError', 'DataError',
           'ImageDataset', 'mnist10k', 'load_dataset', 'to_model_range', 'to_uint8', 'image_grid',
           'show_images', 'save_png', 'save_gif', 'Settings', 'setting', 'NoiseSchedule',
           'ContextUnet', 'ModelConfig', 'SamplingConfig', 'Sampler', 'DDPM', 'DDIM', 'DPMSolver',
           'sample_loop', 'run_sampler', 'ddpm_sample', 'ddim_sample', 'dpm_sample',
           'save_checkpoint', 'read_checkpoint', 'convert_state_dict', 'Pipeline',
           'load_checkpoint', 'load_pretrained', 'TrainConfig', 'TrainResult', 'EMA',
           'diffusion_loss', 'train', 'evaluate', 'load_classifier', 'EditConfig', 'sdedit',
           'inpaint', 'ddim_invert', 'Inpaint', 'DDIMInversion']
