"""Instructions a step of `publish` executes, counted by valgrind's callgrind: the same count
run after run, where wall times on a shared VM vary by 15-30% (docs/performance.md).

    python bench/bench_instructions.py surveys 300       # a survey's seven files, per survey
    python bench/bench_instructions.py part catalog.trig # one of the catalogue's files
    python bench/bench_instructions.py setup             # publish() up to the survey files
    python bench/bench_instructions.py surveys 300 --code /path/to/other/worktree

Generates a 1,000-record catalogue (bench/generate.py) and fills its validation cache once,
then runs `publish()` up to the survey files under callgrind twice, without and with the
step, each run with its own copy of the cache (runs sharing one cache rewrite it under each
other), and prints the difference. `--code` counts another checkout of migrmeta (the code
before a change, e.g. a `git worktree`); the catalogue and the interpreter stay the same.
Needs valgrind (Debian's package); a run takes a few minutes.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# What runs under callgrind: publish() with its files left unwritten, then the step.
_CHILD = """
import gc, os, sys
sys.path.insert(0, os.environ["MIGRMETA_CODE"])
from pathlib import Path
from migrmeta.publishing import site
records, cache, step, arg = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
kept = {}
of = site._Surveys.of.__func__
def keep(cls, *a, **k):
    kept["surveys"] = of(cls, *a, **k)
    return kept["surveys"]
site._Surveys.of = classmethod(keep)
site._write_site = lambda *a, **k: []
site.publish([records], records.parent / "site",
             site.PublishOptions(skip_invalid=True, jobs=1, cache_dir=cache))
gc.disable()
surveys = kept["surveys"]
if step == "surveys":
    for dataset in list(surveys.datasets)[:int(arg)]:
        surveys.made(dataset)
elif step == "part":
    surveys.part(arg)
"""


def _count(code: Path, records: Path, cache: Path, step: str, arg: str, work: Path) -> int:
    with tempfile.TemporaryDirectory(dir=work) as folder:
        own = Path(folder) / "cache"
        shutil.copytree(cache, own)
        done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
                               "-c", _CHILD, str(records), str(own), step, arg], capture_output=True, text=True,
                              env={**os.environ, "MIGRMETA_CODE": str(code)}, check=False)
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"the run under valgrind failed:\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=["setup", "surveys", "part"])
    parser.add_argument("arg", nargs="?", default="300", help="surveys: how many; part: a file, e.g. catalog.ttl")
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout of migrmeta to count (default: this one)")
    parser.add_argument("--work", type=Path, help="where the catalogue is generated (default: a temporary folder)")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    from bench.generate import generate_catalogue
    from migrmeta.publishing.site import PublishOptions, publish

    work = args.work or Path(tempfile.mkdtemp(prefix="migrmeta-instructions-"))
    records, cache = work / "records", work / "cache"
    if not records.is_dir():
        generate_catalogue(1000, records)
        publish([records], work / "site", PublishOptions(skip_invalid=True, cache_dir=cache))  # fills the cache
    without = _count(args.code.resolve(), records, cache, "setup", "", work)
    if args.step == "setup":
        print(f"publish() up to the survey files: {without:,} instructions ({args.code})")
        return
    with_step = _count(args.code.resolve(), records, cache, args.step, args.arg, work)
    step = with_step - without
    if args.step == "surveys":
        print(f"{args.arg} surveys' files: {step:,} instructions, {step / int(args.arg) / 1e6:.2f} M a survey "
              f"({args.code})")
    else:
        print(f"{args.arg}: {step:,} instructions ({args.code})")


if __name__ == "__main__":
    main()
