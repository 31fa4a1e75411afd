#!/usr/bin/python3
"""A trackerless magnet link through the DHT alone: graytorrent and libtorrent side by side in one run.

A small DHT of libtorrent nodes (the testkit's libtorrent_fixture.py, each session on its own
127.0.N.1, joined through the first one), a libtorrent seeder on 127.0.2.1 that announced the
torrent into it; then, --reps times each and in turn, `gray get 'magnet:?xt=urn:btih:HEX' --dht-node
ROUTER` and a libtorrent magnet leecher (lt_peer.py magnet) given the same node and nothing else.
Each is timed from its process start to the metadata (graytorrent: its log's "metadata verified"
line, polled every 20 ms; libtorrent: has_metadata, polled every 10 ms) and to complete (graytorrent:
the `gray get` process's exit; libtorrent: every piece verified), with its CPU seconds. Every
download is checked against the source. Prints the medians; see benchmarks/README.md.
"""
import sys

sys.dont_write_bytecode = True  # keep the checkout clean of __pycache__

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import time

import libtorrent as lt

from processes import Processes, free_port
from swarm import LT_PEER, ROOT, gray_command
from workload import Case, fresh_dir, generate, verify

FIXTURE = os.path.join(ROOT, "testkit", "src", "main", "resources", "io", "graytorrent", "testkit",
                       "libtorrent_fixture.py")
NODE_ADDRESSES = ["127.0.3.1", "127.0.4.1", "127.0.5.1"]
SEEDER_ADDRESS = "127.0.2.1"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--case", default="16:256:1", metavar="MIB:PIECE_KIB:FILES",
                   help="the torrent (default 16:256:1)")
    p.add_argument("--reps", type=int, default=3, help="runs per client (default 3)")
    p.add_argument("--work", default=os.path.join(ROOT, "benchmarks", "target", "dht"))
    p.add_argument("--gray", default=os.path.join(ROOT, "gray"),
                   help="the gray command (default: ./gray of this checkout, which builds when stale)")
    p.add_argument("--transports", default=None,
                   help="peer wire transports for gray (e.g. tcp): set in a copy of the distribution's plugins/ "
                        "(default: the distribution's own, utp,tcp; the libtorrent seeder speaks TCP only, so "
                        "graytorrent's uTP-first dial waits 3 s before TCP)")
    p.add_argument("--debug", action="store_true", help="run gray get with --debug (its log: WORK/gray-home/logs)")
    p.add_argument("--timeout", type=float, default=180, help="seconds one download may take (default 180)")
    args = p.parse_args()
    args.case = Case.parse(args.case)
    return args


def fixture(procs, args, mode, source, address, *options):
    proc = procs.start([sys.executable, FIXTURE, mode, source, args.case.data_dir if mode == "seed" else "-",
                        "--address", address] + list(options), "lt %s %s" % (mode, address), stdin=subprocess.PIPE)
    line = procs.await_line(proc, "ready", 120)[1]
    return proc, int(line.split()[1].split("=")[1])


def dht_network(procs, args, info_hash):
    """The libtorrent DHT nodes and the seeder, once another node's get_peers finds the seeder; returns ROUTER."""
    first, port = fixture(procs, args, "dht", "-", NODE_ADDRESSES[0])
    router = "%s:%d" % (NODE_ADDRESSES[0], port)
    others = [fixture(procs, args, "dht", "-", address, "--dht-node", router)[0] for address in NODE_ADDRESSES[1:]]
    deadline = time.monotonic() + 60
    while int(procs.command(first, "dht-nodes", "dht-nodes").split()[1]) < len(others):
        if time.monotonic() > deadline:
            raise RuntimeError("the libtorrent DHT nodes did not join within 60 s")
        time.sleep(0.2)
    seeder, seeder_port = fixture(procs, args, "seed", args.case.torrent, SEEDER_ADDRESS, "--dht-node", router)
    while True:
        procs.command(seeder, "dht-announce", "ok")
        found = procs.command(others[0], "dht-peers " + info_hash, "dht-peers", 20)
        if "%s:%d" % (SEEDER_ADDRESS, seeder_port) in found:
            return router
        if time.monotonic() > deadline:
            raise RuntimeError("the seeder's announce did not reach the DHT within 60 s: " + found)


def run_gray(procs, args, gray, home, magnet, router, target):
    shutil.rmtree(os.path.join(home, "get"), ignore_errors=True)
    log = os.path.join(home, "logs", "gray-cli.log")
    if os.path.exists(log):
        os.remove(log)
    started = time.monotonic()
    debug = ["--debug"] if args.debug else []
    proc = procs.start([gray, "--home", home] + debug + ["get", magnet, "-d", target, "--dht-node", router,
                                                         "--port", str(free_port())], "gray get")
    metadata = None
    while proc_running(proc):
        if time.monotonic() - started > args.timeout:
            break
        if metadata is None and os.path.exists(log):
            with open(log, errors="replace") as f:
                if "metadata verified" in f.read():
                    metadata = time.monotonic() - started
        time.sleep(0.02)
    status, rusage = procs.wait(proc, 0)  # reaps it (killing it after the timeout), with its CPU
    complete = time.monotonic() - started
    if status != 0 or metadata is None:
        raise RuntimeError("gray get exited %s (metadata seen: %s); its output: %s" % (status, metadata, proc.log))
    with open(log, errors="replace") as f:
        stamps = {key: log_time(line) for line in f for key in ("added magnet link", "metadata verified") if key in line}
    return metadata, complete, rusage.ru_utime + rusage.ru_stime, \
        stamps["metadata verified"] - stamps["added magnet link"]


def log_time(line):
    """Seconds since midnight of a gray log line's timestamp (yyyy-MM-dd HH:mm:ss.SSS ...)."""
    hours, minutes, seconds = line.split()[1].split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def proc_running(proc):
    """Whether proc runs still, without reaping it (Processes.wait does, with its resource usage)."""
    try:
        return os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None
    except ChildProcessError:
        return False


def run_libtorrent(procs, args, magnet, router, target, rep):
    started = time.monotonic()
    proc = procs.start([sys.executable, LT_PEER, "magnet", magnet, target, "127.0.%d.1" % (10 + rep), router],
                       "lt magnet leecher")
    added_at = procs.await_line(proc, "added", args.timeout)[0]
    metadata_at = procs.await_line(proc, "metadata", args.timeout)[0]
    complete_at, line = procs.await_line(proc, "complete", args.timeout)
    procs.wait(proc, 10)
    return metadata_at - started, complete_at - started, float(line.split()[1]), metadata_at - added_at


def main():
    args = parse_args()
    os.makedirs(args.work, exist_ok=True)
    generate(args.case, args.work)
    info_hash = str(lt.torrent_info(args.case.torrent).info_hash())
    magnet = "magnet:?xt=urn:btih:" + info_hash
    gray = gray_command(args, args.transports)
    procs = Processes(os.path.join(args.work, "processes.log"))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    results = {"graytorrent": [], "libtorrent": []}
    try:
        router = dht_network(procs, args, info_hash)
        print("DHT of %d libtorrent nodes and a seeder ready, router %s, load %.1f"
              % (len(NODE_ADDRESSES), router, os.getloadavg()[0]), flush=True)
        home = fresh_dir(os.path.join(args.work, "gray-home"))
        for rep in range(args.reps):
            for client in results:
                target = fresh_dir(os.path.join(args.work, "download", client))
                if client == "graytorrent":
                    result = run_gray(procs, args, gray, home, magnet, router, target)
                else:
                    result = run_libtorrent(procs, args, magnet, router, target, rep)
                verify(args.case, target)
                results[client].append(result)
                print("  rep %d %-11s metadata %.2f s  complete %.2f s  CPU %.2f s  added to metadata %.2f s"
                      % ((rep + 1, client) + result), flush=True)
    finally:
        procs.stop_all()
    medians = {client: [statistics.median(r[i] for r in runs) for i in range(4)] for client, runs in results.items()}
    print("\n%s, magnet link with only xt=urn:btih, DHT only, gray transports %s, medians of %d, load %.1f"
          % (args.case, args.transports or "as shipped", args.reps, os.getloadavg()[0]))
    print("| client | to metadata s | to complete s | CPU s | added to metadata s |\n|---|---|---|---|---|")
    for client, values in medians.items():
        print("| %s | %.2f | %.2f | %.2f | %.2f |" % ((client,) + tuple(values)))
    gray_m, lt_m = medians["graytorrent"], medians["libtorrent"]
    print("| **gray / lt** | %.2f | %.2f | %.2f | %.2f |" % tuple(g / l for g, l in zip(gray_m, lt_m)))


if __name__ == "__main__":
    main()
