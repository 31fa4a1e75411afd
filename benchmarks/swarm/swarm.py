#!/usr/bin/python3
"""The loopback swarm benchmark: graytorrent against libtorrent on 127.0.0.1, side by side.

For each case (total size, piece size, file count, torrent version) it generates random data and a v1, v2-only
or hybrid torrent, then
  download: a libtorrent seeder serves the torrent; `gray get` and a libtorrent leecher download it
            in turn, each into a fresh directory;
  seed:     a libtorrent leecher downloads it from a `gray get --seed` seeder and from a libtorrent
            seeder in turn;
verifies every download (SHA-1 of each file against the source) and prints per client the medians of
wall time, MiB/s, CPU seconds (user+sys) and peak RSS, and the ratio graytorrent / libtorrent.
--mode get (the default) runs graytorrent as one `gray get` process per transfer, start-up and JIT
included; --mode server measures the steady state instead: downloads into one warm `gray server`,
each from `gray add` to complete, against libtorrent from its add to complete (see steady.py).
Run it with Debian's /usr/bin/python3 (it has the libtorrent module); see benchmarks/README.md.
"""
import sys

sys.dont_write_bytecode = True  # keep the checkout clean of __pycache__

import argparse
import os
import shutil
import signal
import subprocess
import threading
import time

import steady
from processes import Processes, free_port, task_cpu, thread_cpu, tree_cpu, tree_peak_rss
from report import Result, print_tables
from workload import Case, allocated_bytes, fresh_dir, generate, verify

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LT_PEER = os.path.join(HERE, "lt_peer.py")
DEFAULT_CASES = ["256:256:8", "1024:1024:1"]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--case", action="append", metavar="MIB:PIECE_KIB:FILES[:VERSION]",
                   help="a torrent to measure, repeatable; VERSION v1 (the default), v2 or hybrid: the torrent "
                        "libtorrent makes (default: %s)" % " ".join(DEFAULT_CASES))
    p.add_argument("--reps", type=int, default=3, help="repetitions per client and direction (default 3)")
    p.add_argument("--direction", choices=["both", "download", "seed"], default="both")
    p.add_argument("--mode", choices=["get", "server"], default="get",
                   help="get: a `gray get` process per download (default); server: downloads into one warm "
                        "`gray server`, measured from add to complete (download only)")
    p.add_argument("--quick", action="store_true", help="smoke check: one 32 MiB case, one repetition")
    p.add_argument("--encryption", choices=["plaintext", "rc4"], default="plaintext",
                   help="rc4: every libtorrent peer forces RC4 (MSE) and graytorrent runs with "
                        "--encryption required (default plaintext)")
    p.add_argument("--transport", choices=["tcp", "utp"], default="tcp",
                   help="utp: every libtorrent peer speaks uTP only (TCP off both ways), so graytorrent's "
                        "transfers run over uTP too (default tcp: libtorrent TCP only)")
    p.add_argument("--gray-transports", default=None,
                   help="the transports graytorrent dials (its peer wire's `transports`, e.g. tcp, as the "
                        "libtorrent leecher it is compared with dials TCP only in the default mode); default: "
                        "the shipped setting (utp,tcp)")
    p.add_argument("--work", default=os.path.join(ROOT, "benchmarks", "target", "swarm"),
                   help="where data, torrents and downloads go (data is reused between runs)")
    p.add_argument("--gray", default=os.path.join(ROOT, "gray"),
                   help="the gray command (default: ./gray of this checkout, which builds when stale)")
    p.add_argument("--timeout", type=float, default=600, help="seconds one transfer may take (default 600)")
    p.add_argument("--warm-seeder", type=int, default=0, metavar="N",
                   help="seeding: one seeder per client for all its runs, warmed by N unreported runs first")
    p.add_argument("--threads", action="store_true",
                   help="print per thread name the seeder's CPU over each seeding run, and a `gray get`'s "
                        "CPU over its whole download (sampled until it exits)")
    args = p.parse_args()
    if args.quick:
        args.case, args.reps = args.case or ["32:256:4"], 1
    args.cases = [Case.parse(text) for text in (args.case or DEFAULT_CASES)]
    if args.mode == "server" and args.direction == "seed":
        p.error("--mode server measures downloads only")
    return args


def gray_command(args, transports=None):
    """Builds the distribution if stale (./gray does), then returns its bin/gray to run directly;
    with transports (the peer wire's setting, e.g. "tcp"), the bin/gray of a copy of the
    distribution whose plugins/ holds that setting."""
    subprocess.run([args.gray, "--version"], check=True, stdout=subprocess.DEVNULL)
    dist_gray = os.path.join(ROOT, "distribution", "target", "graytorrent", "bin", "gray")
    gray = dist_gray if args.gray == os.path.join(ROOT, "gray") else args.gray
    if not transports:
        return gray
    dist = os.path.join(args.work, "dist-" + transports.replace(",", "-"))
    shutil.rmtree(dist, ignore_errors=True)
    shutil.copytree(os.path.dirname(os.path.dirname(gray)), dist, symlinks=True)
    with open(os.path.join(dist, "plugins", "io.graytorrent.peerwire.cfg"), "w") as f:
        f.write("transports=%s\n" % transports)
    gray = os.path.join(dist, "bin", "gray")
    subprocess.run([gray, "--version"], check=True, stdout=subprocess.DEVNULL)  # its CDS archive, unreported
    return gray


def gray_encryption(args):
    return ["--encryption", "required"] if args.encryption == "rc4" else []


def leech(procs, case, client, argv, target, timeout, threads=False):
    """Runs one leecher to its end; returns its Result after verifying what it wrote. threads: print
    its CPU by thread name, each thread's last sample (every 50 ms until it exits; threads that end
    keep their last figure, so up to 50 ms of each is not counted)."""
    first_byte = []
    peak_rss = [0]
    tasks = {}

    def sample_threads():
        while proc.popen.poll() is None:
            tasks.update(task_cpu(proc.pid))
            time.sleep(0.05)

    def watch_for_data():
        if not first_byte and allocated_bytes(target) > 0:
            first_byte.append(time.monotonic())
        # sampled, not wait4's ru_maxrss: that counts the memory of this Python process, which the
        # child shared between fork and exec (~300 MiB right after generating a case's data)
        peak_rss[0] = max(peak_rss[0], tree_peak_rss(proc.pid))

    started = time.monotonic()
    proc = procs.start(argv, client)
    sampler = None
    if threads:
        sampler = threading.Thread(target=sample_threads, daemon=True)
        sampler.start()
    complete_at, _ = procs.await_line(proc, "complete", timeout, watch_for_data)
    watch_for_data()
    status, rusage = procs.wait(proc, timeout)
    wall = time.monotonic() - started
    if status != 0:
        raise RuntimeError("%s exited with status %s; its output: %s" % (client, status, proc.log))
    if sampler:
        sampler.join()
        by_name = {}
        for name, seconds in tasks.values():
            by_name[name] = by_name.get(name, 0.0) + seconds
        print_thread_cpu(client, {}, by_name, "")
        first = (first_byte or [complete_at])[0]
        print("  %s phases: start to first byte %.2f s, first byte to complete %.2f s, complete to exit %.2f s"
              % (client, first - started, complete_at - first, started + wall - complete_at), flush=True)
    verify(case, target)
    return Result(client, wall, (first_byte or [complete_at])[0] - started, complete_at - started,
                  rusage.ru_utime + rusage.ru_stime, peak_rss[0])


def run_download(procs, args, gray, case, results):
    seeder_port = free_port()
    seeder = procs.start([sys.executable, LT_PEER, "seed", case.torrent, case.data_dir, str(seeder_port)], "lt seeder")
    procs.await_line(seeder, "ready", 600)
    # one GRAY_HOME for the case, as a user has: from the second run on, `gray get` reuses the Felix
    # storage the first one left there; the download's own state goes after every run
    home = fresh_dir(os.path.join(args.work, "gray-home"))
    for rep in range(args.reps):
        for client in ("graytorrent", "libtorrent"):
            target = fresh_dir(os.path.join(args.work, "download", client))
            if client == "graytorrent":
                shutil.rmtree(os.path.join(home, "get"), ignore_errors=True)
                argv = [gray, "--home", home, "get", case.torrent, "-d", target,
                        "--peer", "127.0.0.1:%d" % seeder_port, "--port", str(free_port())] + gray_encryption(args)
            else:
                argv = [sys.executable, LT_PEER, "leech", case.torrent, target, str(free_port()), str(seeder_port)]
            result = leech(procs, case, client, argv, target, args.timeout, args.threads and client == "graytorrent")
            results.append(("download", case, result))
            print("  download rep %d %s" % (rep + 1, result), flush=True)
            subprocess.run(["rm", "-rf", target], check=True)
    procs.stop(seeder)


def start_seeder(procs, args, gray, case, client):
    """A seeder on the case's complete data, once it is ready; returns its port and process."""
    port = free_port()
    if client == "graytorrent":
        home = fresh_dir(os.path.join(args.work, "gray-seed-home"))
        seeder = procs.start([gray, "--home", home, "get", case.torrent, "-d", case.data_dir, "--seed",
                              "--port", str(port)] + gray_encryption(args), "gray seeder")
        procs.await_line(seeder, "complete", 600)  # "complete: ...; seeding" once its check is done
    else:
        seeder = procs.start([sys.executable, LT_PEER, "seed", case.torrent, case.data_dir, str(port)], "lt seeder")
        procs.await_line(seeder, "ready", 600)
    return port, seeder


def print_thread_cpu(client, before, after, role=" seeder"):
    """A process's CPU between two samples per thread name, largest first."""
    spent = sorted(((after[name] - before.get(name, 0.0), name) for name in after), reverse=True)
    print("  %s%s CPU s by thread: %s" % (client, role, ", ".join(
        "%s %.2f" % (name, seconds) for seconds, name in spent if seconds >= 0.01)), flush=True)


def run_seed(procs, args, gray, case, results):
    if args.warm_seeder:
        for client in ("graytorrent", "libtorrent"):
            # one seeder for the client's runs, warmed by unreported ones: the steady state of a
            # long-lived seeder, JIT compilation and start-up left out; its peak RSS is its life's
            port, seeder = start_seeder(procs, args, gray, case, client)
            for rep in range(args.warm_seeder + args.reps):
                result = seed_once(procs, args, case, client, port, seeder)
                if rep >= args.warm_seeder:
                    results.append(("seed", case, result))
                print("  seed %s %d %s" % ("warm-up" if rep < args.warm_seeder else "rep",
                                           rep + 1 - (0 if rep < args.warm_seeder else args.warm_seeder), result),
                      flush=True)
            procs.stop(seeder)
        return
    # a fresh seeder for every run (see README)
    for rep in range(args.reps):
        for client in ("graytorrent", "libtorrent"):
            port, seeder = start_seeder(procs, args, gray, case, client)
            result = seed_once(procs, args, case, client, port, seeder)
            procs.stop(seeder)
            results.append(("seed", case, result))
            print("  seed rep %d %s" % (rep + 1, result), flush=True)


def seed_once(procs, args, case, client, port, seeder):
    """One libtorrent leecher's run against the seeder; the seeder's CPU over it."""
    target = fresh_dir(os.path.join(args.work, "seed", client))
    before = tree_cpu(seeder.pid)
    threads_before = thread_cpu(seeder.pid)
    argv = [sys.executable, LT_PEER, "leech", case.torrent, target, str(free_port()), str(port)]
    leecher = leech(procs, case, "lt leecher", argv, target, args.timeout)
    if seeder.popen.poll() is not None:
        raise RuntimeError("the %s seeder ended during the run; its output: %s" % (client, seeder.log))
    result = Result(client, leecher.wall, leecher.to_first_byte, leecher.to_complete,
                    tree_cpu(seeder.pid) - before, tree_peak_rss(seeder.pid))
    if args.threads:
        print_thread_cpu(client, threads_before, thread_cpu(seeder.pid))
        print("  %s seeder CPU s since its start: %.2f" % (client, tree_cpu(seeder.pid)), flush=True)
    subprocess.run(["rm", "-rf", target], check=True)
    return result


def main():
    args = parse_args()
    os.makedirs(args.work, exist_ok=True)
    if args.encryption == "rc4":
        os.environ["LT_ENCRYPTION"] = "rc4"  # inherited by every libtorrent peer this run starts
    if args.transport == "utp":
        os.environ["LT_TRANSPORT"] = "utp"
    # a Ctrl-C or kill ends the run through the finally below, which stops every process we started
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    procs = Processes(os.path.join(args.work, "processes.log"))
    results = []
    try:
        gray = gray_command(args, args.gray_transports)
        for case in args.cases:
            generate(case, args.work)
            print("case %s" % case, flush=True)
            if args.mode == "server":
                steady.run_download(procs, args, gray, case, results)
                continue
            if args.direction in ("both", "download"):
                run_download(procs, args, gray, case, results)
            if args.direction in ("both", "seed"):
                run_seed(procs, args, gray, case, results)
    finally:
        procs.stop_all()
    print_tables(results, args.reps)


if __name__ == "__main__":
    main()
