#!/usr/bin/python3
"""A server with many managed torrents: how fast it restarts and lists them, and its memory.

Generates N small torrents (one 64 KiB file each, half with their data present so they check and
seed, half added stopped), adds them to a fresh server through its control endpoint, restarts the
server, and prints: `gray server start` until a `gray ls` answered, `gray ls` alone, and the
server's resident memory (VmRSS after the list, VmHWM). See benchmarks/README.md.
"""
import sys

sys.dont_write_bytecode = True  # keep the checkout clean of __pycache__

import argparse
import http.client
import json
import os
import signal
import subprocess
import time

import libtorrent as lt

from swarm import ROOT, fresh_dir, gray_command

FILE_BYTES = 64 * 1024


def make_torrents(count, work):
    """count torrents under work/scale/torrents, data for the even ones under work/scale/data."""
    root = os.path.join(work, "scale")
    torrents = os.path.join(root, "torrents")
    if os.path.exists(os.path.join(root, "made-%d" % count)):
        return root
    fresh_dir(root)
    os.makedirs(torrents)
    for i in range(count):
        name = "small-%05d.bin" % i
        source = os.path.join(root, "data" if i % 2 == 0 else "absent", name)
        os.makedirs(os.path.dirname(source), exist_ok=True)
        with open(source, "wb") as f:
            f.write(os.urandom(FILE_BYTES))
        storage = lt.file_storage()
        lt.add_files(storage, source)
        creator = lt.create_torrent(storage, 16 * 1024, flags=lt.create_torrent.v1_only)
        lt.set_piece_hashes(creator, os.path.dirname(source))
        with open(os.path.join(torrents, name + ".torrent"), "wb") as f:
            f.write(lt.bencode(creator.generate()))
    open(os.path.join(root, "made-%d" % count), "w").close()
    return root


def command(home, args):
    """Runs one command in the server through its control endpoint; returns its exit code."""
    with open(os.path.join(home, "control.port")) as f:
        port = int(f.read().strip())
    with open(os.path.join(home, "control.token")) as f:
        token = f.read().strip()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        body = json.dumps({"args": args, "cwd": home, "tty": False})
        connection.request("POST", "/api/v1/command", body, {"Authorization": "Bearer " + token,
                                                              "Content-Type": "application/json"})
        response = connection.getresponse()
        for line in response.read().decode().splitlines():
            event = json.loads(line)
            if "exit" in event:
                return event["exit"]
        raise RuntimeError("%s: no exit status from the server (HTTP %d)" % (args, response.status))
    finally:
        connection.close()


def timed(argv):
    started = time.monotonic()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, timeout=300)
    return time.monotonic() - started


def memory_kib(home, key):
    with open(os.path.join(home, "server.pid")) as f:
        pid = int(f.read().strip())
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise RuntimeError("no %s for the server" % key)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--torrents", type=int, default=2000)
    p.add_argument("--work", default=os.path.join(ROOT, "benchmarks", "target", "swarm"))
    p.add_argument("--gray", default=os.path.join(ROOT, "gray"))
    args = p.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    gray = gray_command(args)
    root = make_torrents(args.torrents, args.work)
    home = fresh_dir(os.path.join(args.work, "scale-home"))
    server = [gray, "--home", home, "server"]
    try:
        subprocess.run(server + ["start"], check=True, stdout=subprocess.DEVNULL, timeout=120)
        started = time.monotonic()
        for i, name in enumerate(sorted(os.listdir(os.path.join(root, "torrents")))):
            save = os.path.join(root, "data" if i % 2 == 0 else "absent-downloads")
            extra = [] if i % 2 == 0 else ["--paused"]
            exit_code = command(home, ["add", os.path.join(root, "torrents", name), "-d", save] + extra)
            if exit_code != 0:
                raise RuntimeError("add %s exited %d" % (name, exit_code))
        print("added %d torrents in %.1f s" % (args.torrents, time.monotonic() - started), flush=True)
        subprocess.run(server + ["stop"], check=True, stdout=subprocess.DEVNULL, timeout=120)
        to_ls = timed(server + ["start"])
        ls = timed([gray, "--home", home, "ls"])
        to_ls += ls
        second_ls = timed([gray, "--home", home, "ls"])
        rss, hwm = memory_kib(home, "VmRSS"), memory_kib(home, "VmHWM")
    finally:
        subprocess.run(server + ["stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    print("\n| %d torrents (half seeding, half stopped) | figure | target |" % args.torrents)
    print("|---|---|---|")
    print("| `gray server start` until a `gray ls` answered | %.2f s | |" % to_ls)
    print("| `gray ls`, first / second | %.2f s / %.2f s | < 1 s |" % (ls, second_ls))
    print("| server RSS after listing / peak (VmHWM) | %.0f / %.0f MiB | < 512 MiB |" % (rss / 1024, hwm / 1024))


if __name__ == "__main__":
    main()
