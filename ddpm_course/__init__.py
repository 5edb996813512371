__version__ = "0.1.0"

# The curated public API, so that `import ddpm_course as dc; dc.train(...)` works. Each name is defined (and taught)
# in its chapter's module; this file only gathers them.
from .errors import CourseError, ArgError, ArgTypeError, NotFound
from .data import DataError, ImageDataset, mnist10k, load_dataset, to_model_range, to_uint8, image_grid, show_images, save_png, save_gif
from .schedule import NoiseSchedule
from .unet import ContextUnet
from .training import TrainConfig, TrainResult, TrainingError, EMA, diffusion_loss, train
from .checkpoint import CheckpointError, save_checkpoint, load_checkpoint, load_pretrained, convert_state_dict
from .sampling import (SamplingError, Sampler, DDPM, DDIM, DPMSolver, sample_loop, ddpm_sample, ddim_sample, dpm_sample, draw,
                       DEFAULT_SAMPLING)
from .metrics import evaluate, load_classifier

__all__ = ['CourseError', 'ArgError', 'ArgTypeError', 'NotFound', 'DataError', 'ImageDataset', 'mnist10k', 'load_dataset',
           'to_model_range', 'to_uint8', 'image_grid', 'show_images', 'save_png', 'save_gif', 'NoiseSchedule', 'ContextUnet',
           'TrainConfig', 'TrainResult', 'TrainingError', 'EMA', 'diffusion_loss', 'train', 'CheckpointError',
           'save_checkpoint', 'load_checkpoint', 'load_pretrained', 'convert_state_dict', 'SamplingError', 'Sampler', 'DDPM',
           'DDIM', 'DPMSolver', 'sample_loop', 'ddpm_sample', 'ddim_sample', 'dpm_sample', 'draw', 'DEFAULT_SAMPLING',
           'evaluate', 'load_classifier']
