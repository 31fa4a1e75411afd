#!/usr/bin/python3
"""README's Performance table in one command: runs every target case of issue 22 beside libtorrent and
prints one Markdown table of the ratios, with the run's date and load averages.

The cases, each run the way swarm.py runs it (same code, one run after the other):
  get-1g     `gray get` 1 GiB, 1 MiB pieces, one file       (swarm.py --direction download --case 1024:1024:1)
  get-multi  `gray get` 256 MiB, 100 files, 256 KiB pieces  (swarm.py --direction download --case 256:256:100)
  server     a warm `gray server` downloading 1 GiB           (swarm.py --mode server --case 1024:1024:1)
  seed       a warm seeder serving 1 GiB                      (swarm.py --direction seed --case 1024:1024:1 --warm-seeder 2)
Run it with Debian's /usr/bin/python3 (libtorrent); see benchmarks/README.md.
"""
import sys

sys.dont_write_bytecode = True  # keep the checkout clean of __pycache__

import argparse
import datetime
import os
import signal

import steady
import swarm
from processes import Processes
from report import client_medians
from workload import Case, generate

CASES = {
    # name: (what, swarm.py options, case, direction)
    "get-1g": ("`gray get` 1 GiB, 1 MiB pieces", "--direction download --case 1024:1024:1", "1024:1024:1", "download"),
    "get-multi": ("`gray get` 256 MiB, 100 files, 256 KiB pieces", "--direction download --case 256:256:100",
                  "256:256:100", "download"),
    "server": ("warm `gray server`, 1 GiB, add to complete", "--mode server --case 1024:1024:1", "1024:1024:1",
               "steady"),
    "seed": ("warm seeder, 1 GiB to a libtorrent leecher", "--direction seed --case 1024:1024:1 --warm-seeder 2",
             "1024:1024:1", "seed"),
}
# issue 22's targets per case: (figure, index into client_medians, at least / at most, ratio)
TARGETS = {
    "get-1g": [("wall MiB/s", 1, ">=", 1.0)],
    "get-multi": [("wall MiB/s", 1, ">=", 0.8)],
    "server": [("MiB/s", 1, ">=", 1.2), ("CPU s/GiB", 5, "<=", 1.0)],
    "seed": [("MiB/s", 1, ">=", 1.2), ("CPU s/GiB", 5, "<=", 1.0)],
}
PEAK_RSS_LIMIT_MIB = 256  # for a 1 GiB `gray get`


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--only", action="append", choices=sorted(CASES),
                   help="run only this case, repeatable (default: all, in the order %s)" % ", ".join(CASES))
    p.add_argument("--reps", type=int, default=3, help="runs per client and case (default 3)")
    p.add_argument("--work", default=os.path.join(swarm.ROOT, "benchmarks", "target", "swarm"))
    p.add_argument("--gray", default=os.path.join(swarm.ROOT, "gray"),
                   help="the gray command (default: ./gray of this checkout, which builds when stale)")
    p.add_argument("--timeout", type=float, default=600)
    p.add_argument("--gray-transports", default="tcp",
                   help="the transports graytorrent dials (default tcp: as the libtorrent leecher it is "
                        "compared with, whose uTP is off; utp,tcp is the shipped setting)")
    args = p.parse_args()
    args.only = args.only or list(CASES)
    # what swarm.py's and steady.py's functions read from their arguments
    args.encryption, args.transport, args.threads = "plaintext", "tcp", False
    return args


def load():
    return "%.1f / %.1f / %.1f" % os.getloadavg()


def run_case(procs, args, gray, name):
    _, _, text, direction = CASES[name]
    case = Case.parse(text)
    generate(case, args.work)
    results = []
    args.warm_seeder = 2 if name == "seed" else 0
    print("%s (%s), load %s" % (name, case, load()), flush=True)
    if direction == "download":
        swarm.run_download(procs, args, gray, case, results)
    elif direction == "steady":
        steady.run_download(procs, args, gray, case, results)
    else:
        swarm.run_seed(procs, args, gray, case, results)
    rows = [(c, r) for _, c, r in results]
    return case, client_medians(rows, case, "graytorrent"), client_medians(rows, case, "libtorrent")


def main():
    args = parse_args()
    os.makedirs(args.work, exist_ok=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    procs = Processes(os.path.join(args.work, "processes.log"))
    started = datetime.datetime.now(datetime.timezone.utc)
    loads = [load()]
    measured = []
    try:
        gray = swarm.gray_command(args, args.gray_transports)
        for name in args.only:
            measured.append((name,) + run_case(procs, args, gray, name))
            loads.append(load())
    finally:
        procs.stop_all()
    ended = datetime.datetime.now(datetime.timezone.utc)
    print("\n`/usr/bin/python3 benchmarks/swarm/table.py --reps %d`, %s-%s UTC, %d cores, load average (1/5/15 min)"
          " %s at the start, %s at the end; medians of %d runs, graytorrent (dialling %s) and libtorrent"
          " (TCP only) in turn:\n"
          % (args.reps, started.strftime("%Y-%m-%d %H:%M"), ended.strftime("%H:%M"), os.cpu_count(), loads[0],
             loads[-1], args.reps, args.gray_transports))
    print("| case (swarm.py options) | graytorrent MiB/s, CPU s/GiB, peak RSS MiB | libtorrent MiB/s, CPU s/GiB,"
          " peak RSS MiB | gray / lt MiB/s | gray / lt CPU per GiB | target | met |")
    print("|---|---|---|---|---|---|---|")
    for name, case, gray, lt in measured:
        what, options = CASES[name][0], CASES[name][1]
        verdicts = []
        for figure, index, sense, limit in TARGETS[name]:
            ratio = gray[index] / lt[index]
            verdicts.append(("%s %s %.1f×" % (figure, "≥" if sense == ">=" else "≤", limit),
                             ratio >= limit if sense == ">=" else ratio <= limit))
        if name == "get-1g":
            verdicts.append(("peak RSS ≤ %d MiB" % PEAK_RSS_LIMIT_MIB, gray[6] <= PEAK_RSS_LIMIT_MIB))
        print("| %s (`%s`) | %.0f, %.2f, %.0f | %.0f, %.2f, %.0f | **%.2f** | **%.2f** | %s | %s |" % (
            what, options, gray[1], gray[5], gray[6], lt[1], lt[5], lt[6], gray[1] / lt[1], gray[5] / lt[5],
            "; ".join(t for t, _ in verdicts), "; ".join("yes" if ok else "no" for _, ok in verdicts)))


if __name__ == "__main__":
    main()
