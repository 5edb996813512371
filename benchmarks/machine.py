"""What every benchmark table names in its header: the device (CPU model or GPU name), torch, the date and the load.

Speeds differ between machines (the course's 2-core CPUs have been an AMD EPYC and an Intel Xeon with AMX, 2,530 and
4,493 steps in the same five minutes), so a table is only read beside the machine that printed it."""

import datetime, os, platform
import torch


def cpu_name() -> str:
    "The CPU's model name as the operating system reports it."
    for line in open('/proc/cpuinfo') if os.path.exists('/proc/cpuinfo') else ():
        if line.startswith('model name'):
            return line.split(':', 1)[1].strip()
    return platform.processor() or 'CPU'


def header(device) -> str:
    "One line: the device, torch's version, today's date and the load average when the benchmark starts."
    if torch.device(device).type == 'cuda':
        what = torch.cuda.get_device_name(device)
    else:
        what = f"{cpu_name()}, {os.cpu_count()} cores, {torch.get_num_threads()} torch thread(s)"
    load = os.getloadavg()[0] if hasattr(os, 'getloadavg') else float('nan')
    return (
        f"{what} · torch {torch.__version__} · {datetime.date.today()} · load average "
        f"{load:.1f} at the start"
    )
