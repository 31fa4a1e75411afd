#!/usr/bin/python3
"""Start-up latencies of the gray command, on 127.0.0.1, medians of a few runs:

  server: `gray server start` until a following `gray ls` has answered (target < 2 s), and that
          `gray ls` alone;
  get:    `gray get` until its first REQUEST reaches a scripted peer that has every piece
          (target < 1.5 s), in a GRAY_HOME that one unreported `gray get` used before, as a user's
          is (it keeps the one-shot runtime's Felix storage), with that download's state removed;
          and the CPU seconds the `gray get` process had used by then. The peer speaks plaintext
          only, as the swarm benchmark's libtorrent seeder does: it hangs up on an encrypted
          handshake, and `gray get` (encryption `preferred`) dials again in plaintext.
Every server run uses a fresh GRAY_HOME; every process started is stopped by PID. See benchmarks/README.md.
"""
import sys

sys.dont_write_bytecode = True  # keep the checkout clean of __pycache__

import argparse
import os
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import time

import libtorrent as lt

from processes import TICKS, Processes, free_port
from swarm import ROOT, fresh_dir, gray_command
from workload import Case, generate

REQUEST = 6


def server_start(gray, home):
    """Seconds from `gray server start` to the end of the first `gray ls`, and of that `gray ls`."""
    started = time.monotonic()
    try:
        subprocess.run([gray, "--home", home, "server", "start"], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=60)
        listed = time.monotonic()
        subprocess.run([gray, "--home", home, "ls"], check=True, stdout=subprocess.DEVNULL, timeout=60)
        return time.monotonic() - started, time.monotonic() - listed
    finally:
        subprocess.run([gray, "--home", home, "server", "stop"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=60)


def read_exactly(connection, length):
    data = b""
    while len(data) < length:
        chunk = connection.recv(length - len(data))
        if not chunk:
            raise RuntimeError("gray closed the connection before requesting a block")
        data += chunk
    return data


def process_cpu(pid):
    """User + system CPU seconds a running process has used (its ended threads included)."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def get_first_request(procs, gray, home, case, target):
    """Seconds from starting `gray get` to its first REQUEST at a peer that has everything, and the
    CPU seconds the process had used by then."""
    info = lt.torrent_info(case.torrent)
    info_hash = bytes.fromhex(str(info.info_hash()))
    bitfield = bytearray(b"\xff" * ((info.num_pieces() + 7) // 8))
    if info.num_pieces() % 8:
        bitfield[-1] = (0xff << (8 - info.num_pieces() % 8)) & 0xff  # spare bits must be zero
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(2)
        listener.settimeout(60)
        started = time.monotonic()
        proc = procs.start([gray, "--home", home, "get", case.torrent, "-d", target,
                            "--peer", "127.0.0.1:%d" % listener.getsockname()[1], "--port", str(free_port())], "gray get")
        try:
            while True:
                connection, _ = listener.accept()
                with connection:
                    connection.settimeout(60)
                    if not read_exactly(connection, 68).startswith(b"\x13BitTorrent protocol"):
                        continue  # an encrypted handshake: hang up, as a plaintext-only peer does
                    connection.sendall(b"\x13BitTorrent protocol" + bytes(8) + info_hash + b"-ST0001-" + os.urandom(12))
                    connection.sendall(struct.pack(">IB", 1 + len(bitfield), 5) + bytes(bitfield) + struct.pack(">IB", 1, 1))
                    while True:
                        length = struct.unpack(">I", read_exactly(connection, 4))[0]
                        message = read_exactly(connection, length)
                        if length and message[0] == REQUEST:
                            return time.monotonic() - started, process_cpu(proc.pid)
        finally:
            procs.stop(proc)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--work", default=os.path.join(ROOT, "benchmarks", "target", "swarm"))
    p.add_argument("--gray", default=os.path.join(ROOT, "gray"))
    p.add_argument("--gray-transports", default=None,
                   help="the transports graytorrent dials, e.g. tcp: the scripted peer listens on TCP only, and "
                        "the shipped utp,tcp first waits ~3 s for a uTP answer (default: the shipped setting)")
    args = p.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    os.makedirs(args.work, exist_ok=True)
    procs = Processes(os.path.join(args.work, "processes.log"))
    case = Case(32, 256, 4)
    try:
        gray = gray_command(args, args.gray_transports)
        generate(case, args.work)
        server, ls, get, get_cpu = [], [], [], []
        get_home = fresh_dir(os.path.join(args.work, "startup-get-home"))
        get_first_request(procs, gray, get_home, case, fresh_dir(os.path.join(args.work, "startup-download")))
        for rep in range(args.reps):
            to_ls, ls_alone = server_start(gray, fresh_dir(os.path.join(args.work, "startup-home")))
            server.append(to_ls)
            ls.append(ls_alone)
            shutil.rmtree(os.path.join(get_home, "get"))
            to_request, cpu = get_first_request(procs, gray, get_home, case,
                                                fresh_dir(os.path.join(args.work, "startup-download")))
            get.append(to_request)
            get_cpu.append(cpu)
            print("  rep %d: server start to ls %.2f s (ls %.2f s), get to first request %.2f s (%.2f CPU-s), load %.1f"
                  % (rep + 1, to_ls, ls_alone, to_request, cpu, os.getloadavg()[0]), flush=True)
    finally:
        procs.stop_all()
    print("\n| start-up, median of %d | seconds | target |" % args.reps)
    print("|---|---|---|")
    print("| `gray server start` until a `gray ls` answered | %.2f | < 2 |" % statistics.median(server))
    print("| that `gray ls` alone (no torrents) | %.2f | < 1 (with 2,000 torrents) |" % statistics.median(ls))
    print("| `gray get` until its first REQUEST | %.2f | < 1.5 |" % statistics.median(get))
    print("| the CPU seconds `gray get` had used by then | %.2f | |" % statistics.median(get_cpu))


if __name__ == "__main__":
    main()
