#!/usr/bin/python3
"""Many peers at once: a graytorrent server seeding T torrents to P scripted peers on 127.0.0.1.

Each peer (asyncio, this process) connects from its own 127.0.0.x address, handshakes (BEP 3, no
extensions), says interested and, while unchoked, keeps 16 block requests in flight, cycling through
the torrent. Over the measured window it prints: connections established and still held at the end,
blocks/s served in total, peers served at least once, the longest a peer waited for a block while
unchoked with requests out (a stall), and the server's CPU and RSS. See benchmarks/README.md.
"""
import sys

sys.dont_write_bytecode = True  # keep the checkout clean of __pycache__

import argparse
import asyncio
import os
import random
import shutil
import signal
import struct
import subprocess
import time

import libtorrent as lt

from processes import free_port, tree_cpu
from scale import command, memory_kib
from swarm import ROOT, fresh_dir, gray_command

PIECE = 256 * 1024
BLOCK = 16 * 1024
IN_FLIGHT = 16
HANDSHAKES_AT_ONCE = 16
CHOKE, UNCHOKE, INTERESTED, REQUEST, PIECE_MESSAGE = 0, 1, 2, 6, 7


def make_torrents(count, mib, work):
    """count one-file torrents of mib MiB under work/peers (kept for later runs); returns (torrent, info hash) pairs."""
    root = os.path.join(work, "peers", "%dx%dm" % (count, mib))
    if not os.path.exists(os.path.join(root, "made")):
        fresh_dir(root)
        for i in range(count):
            path = os.path.join(root, "data", "seeded-%02d.bin" % i)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(os.urandom(mib << 20))
            storage = lt.file_storage()
            lt.add_files(storage, path)
            creator = lt.create_torrent(storage, PIECE, flags=lt.create_torrent.v1_only)
            lt.set_piece_hashes(creator, os.path.dirname(path))
            with open(path + ".torrent", "wb") as f:
                f.write(lt.bencode(creator.generate()))
        open(os.path.join(root, "made"), "w").close()
    torrents = sorted(os.path.join(root, "data", n) for n in os.listdir(os.path.join(root, "data")) if n.endswith(".torrent"))
    return root, [(t, bytes.fromhex(str(lt.torrent_info(t).info_hash()))) for t in torrents]


class Peer:
    def __init__(self, index, info_hash, blocks):
        self.index, self.info_hash, self.blocks = index, info_hash, blocks
        self.next_block = random.randrange(blocks)
        self.connected = self.open = self.unchoked = False
        self.in_flight = 0
        self.received = 0  # blocks inside the measured window
        self.served = False
        self.waiting_since = None  # unchoked with requests out and nothing received since then
        self.longest_stall = 0.0

    def note_stall(self, now):
        if self.waiting_since is not None:
            self.longest_stall = max(self.longest_stall, now - self.waiting_since)

    async def run(self, port, window, handshakes):
        async with handshakes:
            reader, writer = await asyncio.open_connection(
                "127.0.0.1", port, local_addr=("127.0.0.%d" % (2 + self.index % 250), 0))
            writer.write(b"\x13BitTorrent protocol" + bytes(8) + self.info_hash + b"-PB0001-" + os.urandom(12))
            reply = await reader.readexactly(68)
        try:
            if reply[28:48] != self.info_hash:
                raise RuntimeError("peer %d: the server answered for another torrent" % self.index)
            writer.write(struct.pack(">IB", 1, INTERESTED))
            self.connected = self.open = True
            while True:
                length = struct.unpack(">I", await reader.readexactly(4))[0]
                message = await reader.readexactly(length) if length else b""
                now = time.monotonic()
                if not message:
                    continue
                if message[0] == UNCHOKE:
                    self.unchoked, self.waiting_since = True, now
                elif message[0] == CHOKE:
                    self.note_stall(now)  # requests die with a choke (no fast extension)
                    self.unchoked, self.in_flight, self.waiting_since = False, 0, None
                elif message[0] == PIECE_MESSAGE:
                    self.note_stall(now)
                    self.in_flight -= 1
                    self.served = True
                    if window.measuring:
                        self.received += 1
                    self.waiting_since = now if self.in_flight > 0 else None
                if self.unchoked:
                    self.request_more(writer, now)
                    await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self.open = False
            writer.close()

    def request_more(self, writer, now):
        while self.in_flight < IN_FLIGHT:
            piece, block = divmod(self.next_block, PIECE // BLOCK)
            writer.write(struct.pack(">IBIII", 13, REQUEST, piece, block * BLOCK, BLOCK))
            self.next_block = (self.next_block + 1) % self.blocks
            if self.in_flight == 0:
                self.waiting_since = now
            self.in_flight += 1


class Window:
    measuring = False


async def swarm(port, hashes, peers_count, blocks, seconds, server_pid):
    window = Window()
    peers = [Peer(i, hashes[i % len(hashes)], blocks) for i in range(peers_count)]
    # the server drops inbound connections beyond maxHalfOpen (32) still before their handshake
    handshakes = asyncio.Semaphore(HANDSHAKES_AT_ONCE)
    ramp = time.monotonic()
    tasks = [asyncio.ensure_future(peer.run(port, window, handshakes)) for peer in peers]
    deadline = ramp + 30
    while sum(p.connected for p in peers) < peers_count and time.monotonic() < deadline:
        failed = [t for t in tasks if t.done() and t.exception()]
        if failed:
            raise failed[0].exception()
        await asyncio.sleep(0.1)
    established, ramp = sum(p.connected for p in peers), time.monotonic() - ramp
    window.measuring = True
    cpu_before, started = tree_cpu(server_pid), time.monotonic()
    await asyncio.sleep(seconds)
    window.measuring = False
    elapsed, cpu = time.monotonic() - started, tree_cpu(server_pid) - cpu_before
    now = time.monotonic()
    for peer in peers:
        peer.note_stall(now)  # a peer still waiting at the end counts too
    held = sum(p.open for p in peers)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return peers, established, ramp, held, elapsed, cpu


def await_seeding(gray, home, count, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        listing = subprocess.run([gray, "--home", home, "ls", "--json"], check=True, capture_output=True, text=True).stdout
        if listing.lower().count('"seeding"') >= count:
            return
        time.sleep(0.5)
    raise RuntimeError("the server was not seeding all %d torrents after %d s" % (count, timeout))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--torrents", type=int, default=20)
    p.add_argument("--peers", type=int, default=500)
    p.add_argument("--mib", type=int, default=4, help="size of each torrent")
    p.add_argument("--seconds", type=int, default=60, help="the measured window")
    p.add_argument("--work", default=os.path.join(ROOT, "benchmarks", "target", "swarm"))
    p.add_argument("--gray", default=os.path.join(ROOT, "gray"))
    args = p.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    source_gray = gray_command(args)
    root, torrents = make_torrents(args.torrents, args.mib, args.work)
    # a copy of the distribution, so its plugins/ can hold this run's configuration
    dist = os.path.join(args.work, "peers-dist")
    shutil.rmtree(dist, ignore_errors=True)
    shutil.copytree(os.path.dirname(os.path.dirname(source_gray)), dist, symlinks=True)
    port = free_port()
    with open(os.path.join(dist, "plugins", "io.graytorrent.core.cfg"), "w") as f:
        f.write("maxConnections=%d\nmaxConnectionsPerTorrent=%d\nmaxActiveSeeds=%d\noptimisticRotationSeconds=10\n"
                % (args.peers + 100, args.peers // args.torrents + 10, args.torrents))
    with open(os.path.join(dist, "plugins", "io.graytorrent.peerwire.cfg"), "w") as f:
        f.write("port=%d\nportRange=0\n" % port)
    gray = os.path.join(dist, "bin", "gray")
    home = fresh_dir(os.path.join(args.work, "peers-home"))
    server = [gray, "--home", home, "server"]
    try:
        subprocess.run(server + ["start"], check=True, stdout=subprocess.DEVNULL, timeout=120)
        for torrent, _ in torrents:
            if command(home, ["add", torrent, "-d", os.path.dirname(torrent)]) != 0:
                raise RuntimeError("add %s failed" % torrent)
        await_seeding(gray, home, len(torrents), 120)
        with open(os.path.join(home, "server.pid")) as f:
            pid = int(f.read().strip())
        client_cpu = sum(os.times()[:2])
        peers, established, ramp, held, elapsed, cpu = asyncio.run(swarm(
            port, [h for _, h in torrents], args.peers, (args.mib << 20) // BLOCK, args.seconds, pid))
        client_cpu = sum(os.times()[:2]) - client_cpu
        rss, hwm = memory_kib(home, "VmRSS"), memory_kib(home, "VmHWM")
    finally:
        subprocess.run(server + ["stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    blocks = sum(p.received for p in peers)
    stalls = sorted(p.longest_stall for p in peers)
    print("\n| %d peers over %d torrents, %.0f s window | figure |" % (args.peers, args.torrents, elapsed))
    print("|---|---|")
    print("| connections established (in %.1f s, %d handshakes at a time) / still held at the end | %d / %d |"
          % (ramp, HANDSHAKES_AT_ONCE, established, held))
    print("| blocks served | %.0f blocks/s (%.1f MiB/s) |" % (blocks / elapsed, blocks * BLOCK / elapsed / 2**20))
    print("| peers served at least once | %d |" % sum(p.served for p in peers))
    print("| longest stall (unchoked, requests out, no block): max / median of peers | %.2f s / %.2f s |"
          % (stalls[-1], stalls[len(stalls) // 2]))
    print("| server CPU over the window | %.1f s (%.0f%% of a core) |" % (cpu, 100 * cpu / elapsed))
    print("| server RSS at the end / peak (VmHWM) | %.0f / %.0f MiB |" % (rss / 1024, hwm / 1024))
    print("| this script's CPU (the peers) | %.1f s |" % client_cpu)


if __name__ == "__main__":
    main()
