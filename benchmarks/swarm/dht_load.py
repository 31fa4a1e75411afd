#!/usr/bin/python3
"""The DHT's cost on a server with 2,000 public torrents and 10,000 stored peers, beside libtorrent.

A DHT of --nodes libtorrent sessions (several per python process, each on its own 127.X.Y.1 so each
sits in its own /24 and libtorrent's one-node-per-/24 rule keeps them all) joined through the first;
a graytorrent server (the distribution, TCP only, on 127.0.9.1, bootstrapping from one node) and a
libtorrent session (its own process on 127.0.8.1, DHT on, every torrent active, outgoing peer
connections off) each seeding the same --torrents trackerless torrents of one 16 KiB file; then 10,000 peers announced to each of the two by raw KRPC (get_peers
for a token, announce_peer) from 400 loopback addresses, 5 ports on each of 2,000 random infohashes.
Over --window seconds from the torrents' addition it samples, every --sample seconds: per-thread
CPU of the server, the CPU of libtorrent's process, the DHT counters of both (graytorrent's
/api/v1/dht; libtorrent's session stats) and the nodes' get_peers/announce_peer counts, which less
libtorrent's own give graytorrent's. Half-way it adds a magnet link of a torrent the libtorrent
session seeds and times graytorrent to its metadata. See benchmarks/README.md.
"""
import sys

sys.dont_write_bytecode = True  # keep the checkout clean of __pycache__

import argparse
import hashlib
import http.client
import json
import os
import random
import select
import shutil
import signal
import socket
import subprocess
import time

import libtorrent as lt

from processes import Processes, thread_cpu, tree_cpu, _status_kib
from swarm import ROOT, fresh_dir, gray_command

NODE_PORT = 6881
PIECE = 16 * 1024
# set by --network N (0 by default), so that runs side by side have disjoint addresses
GRAY_ADDRESS = LT_ADDRESS = None
ANNOUNCER_IPS = []
NETWORK = 0


def use_network(n):
    """Addresses of network n: nodes 127.(20+3n..).Y.1, graytorrent 127.0.(9+10n).1, libtorrent 127.0.(8+10n).1,
    announcers 127.(100+2n..).Y.1."""
    global GRAY_ADDRESS, LT_ADDRESS, ANNOUNCER_IPS, NETWORK
    NETWORK = n
    GRAY_ADDRESS = "127.0.%d.1" % (9 + 10 * n)
    LT_ADDRESS = "127.0.%d.1" % (8 + 10 * n)
    ANNOUNCER_IPS[:] = ["127.%d.%d.1" % (100 + 2 * n + i // 200, i % 200 + 1) for i in range(400)]
PEERS_PER_INFOHASH = 5
# the nodes both clients join through (the first alone is swamped by the others' joining at start)
JOIN_THROUGH = [0, 37, 74, 111, 148, 185, 222, 259]
STATS = ["dht.dht_nodes", "dht.dht_torrents", "dht.dht_peers", "dht.dht_messages_in", "dht.dht_messages_out",
         "dht.dht_messages_out_dropped", "dht.dht_bytes_out", "dht.dht_get_peers_in", "dht.dht_get_peers_out",
         "dht.dht_announce_peer_in", "dht.dht_announce_peer_out", "dht.dht_find_node_out", "dht.dht_ping_out"]


def node_address(i):
    return "127.%d.%d.1" % (20 + 3 * NETWORK + i // 200, i % 200 + 1)


def session_stats(sessions, note=lambda alerts: None):
    """The sum over sessions of the STATS counters."""
    for s in sessions:
        s.post_session_stats()
    total = dict.fromkeys(STATS, 0)
    pending = set(range(len(sessions)))
    deadline = time.monotonic() + 30
    while pending and time.monotonic() < deadline:
        for i in list(pending):
            alerts = sessions[i].pop_alerts()
            note(alerts)
            for alert in alerts:
                if isinstance(alert, lt.session_stats_alert):
                    for name in STATS:
                        total[name] += alert.values[name]
                    pending.discard(i)
        time.sleep(0.05)
    return total


def base_settings(address):
    return {"listen_interfaces": "%s:%d" % (address, NODE_PORT), "enable_dht": True, "dht_bootstrap_nodes": "",
            "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False, "aio_threads": 1,
            "hashing_threads": 1, "alert_mask": lt.alert.category_t.stats_notification | lt.alert.category_t.error_notification
            | lt.alert.category_t.dht_notification}


def serve(sessions, magnet=None):
    """Answers 'stats' on stdin with one JSON line until 'quit' or end of input; meanwhile notes every
    announce_peer the sessions receive (source IP, infohash, first time)."""
    announces, first = {}, {}

    def note(alerts):
        for alert in alerts:
            if isinstance(alert, lt.dht_announce_alert):
                ip = str(alert.ip)
                announces[ip] = announces.get(ip, 0) + 1
                first.setdefault(ip, {}).setdefault(str(alert.info_hash), time.time())

    while True:
        for s in sessions:
            note(s.pop_alerts())
        if not select.select([sys.stdin], [], [], 0.5)[0]:
            continue
        line = sys.stdin.readline()
        if line.strip() == "stats":
            stats = session_stats(sessions, note)
            stats["announces"] = announces
            stats["first"] = first
            print("stats " + json.dumps(stats), flush=True)
        elif line.strip() == "announce":
            magnet.force_dht_announce()
            print("announced", flush=True)
        elif line.strip() in ("quit", ""):
            break


def run_nodes(first, count, total):
    """count DHT nodes, node_address(first..first+count), each told of the router and a few others."""
    sessions = [lt.session(base_settings(node_address(i))) for i in range(first, first + count)]
    rng = random.Random(first)
    for s in sessions:
        s.add_dht_node((node_address(0), NODE_PORT))
        for j in rng.sample(range(total), 4):
            s.add_dht_node((node_address(j), NODE_PORT))
    print("ready %d" % count, flush=True)
    serve(sessions)


def run_client(root, seed_torrent, seed_data):
    """libtorrent seeding the same torrents (every one active, no outgoing peer connections) and the magnet's."""
    settings = base_settings(LT_ADDRESS)
    settings.update({"active_downloads": -1, "active_seeds": -1, "active_limit": -1, "active_dht_limit": -1,
                     "active_tracker_limit": -1, "enable_outgoing_tcp": False, "enable_outgoing_utp": False,
                     "enable_incoming_utp": False, "dht_restrict_search_ips": False})
    ses = lt.session(settings)
    for i in JOIN_THROUGH:
        ses.add_dht_node((node_address(i), NODE_PORT))
    for name in sorted(os.listdir(os.path.join(root, "torrents"))):
        params = lt.add_torrent_params()
        params.ti = lt.torrent_info(os.path.join(root, "torrents", name))
        params.save_path = os.path.join(root, "data")
        params.flags &= ~(lt.torrent_flags.auto_managed | lt.torrent_flags.paused)
        params.flags |= lt.torrent_flags.seed_mode
        ses.add_torrent(params)
    params = lt.add_torrent_params()
    params.ti = lt.torrent_info(seed_torrent)
    params.save_path = seed_data
    params.flags &= ~(lt.torrent_flags.auto_managed | lt.torrent_flags.paused)
    params.flags |= lt.torrent_flags.seed_mode
    magnet = ses.add_torrent(params)
    print("ready %d" % len(ses.get_torrents()), flush=True)
    serve([ses], magnet)


# ---- the orchestrator -------------------------------------------------------------------------

def make_torrents(count, work):
    """count trackerless torrents of one 16 KiB file (one piece) each, under ROOT/torrents, data under ROOT/data."""
    root = os.path.join(work, "torrents-%d" % count)
    if os.path.exists(os.path.join(root, "made")):
        return root
    fresh_dir(root)
    os.makedirs(os.path.join(root, "torrents"))
    os.makedirs(os.path.join(root, "data"))
    for i in range(count):
        name = "dht-load-%05d.bin" % i
        data = os.urandom(PIECE)
        with open(os.path.join(root, "data", name), "wb") as f:
            f.write(data)
        info = {"name": name, "length": PIECE, "piece length": PIECE, "pieces": hashlib.sha1(data).digest()}
        with open(os.path.join(root, "torrents", name + ".torrent"), "wb") as f:
            f.write(lt.bencode({"info": info}))
    open(os.path.join(root, "made"), "w").close()
    return root


def make_seed(work):
    """A 1 MiB torrent with its data: what the magnet link fetches from libtorrent."""
    data = os.path.join(work, "seed")
    fresh_dir(data)
    path = os.path.join(data, "magnet-seed.bin")
    with open(path, "wb") as f:
        f.write(os.urandom(1 << 20))
    storage = lt.file_storage()
    lt.add_files(storage, path)
    creator = lt.create_torrent(storage, 64 * 1024, flags=lt.create_torrent.v1_only)
    lt.set_piece_hashes(creator, data)
    torrent = os.path.join(work, "magnet-seed.torrent")
    with open(torrent, "wb") as f:
        f.write(lt.bencode(creator.generate()))
    return torrent, data, str(lt.torrent_info(torrent).info_hash())


class Api:
    def __init__(self, home):
        with open(os.path.join(home, "control.port")) as f:
            self.port = int(f.read().strip())
        with open(os.path.join(home, "control.token")) as f:
            self.token = f.read().strip()

    def call(self, method, path, body=None, content_type="application/json"):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            c.request(method, path, body, {"Authorization": "Bearer " + self.token, "Content-Type": content_type})
            r = c.getresponse()
            text = r.read().decode()
            if r.status >= 300:
                raise RuntimeError("%s %s: HTTP %d %s" % (method, path, r.status, text))
            return json.loads(text) if text else None
        finally:
            c.close()


def store_peers(targets, count, timeout):
    """Announces count infohashes x PEERS_PER_INFOHASH peers to each target (ip, port) by raw KRPC.
    Each announcer IP asks get_peers for its infohashes' tokens, then announces; at most 4 queries a
    second per IP and target (libtorrent blocks an IP over 5), resent after 5 s unanswered."""
    rng = random.Random(42)
    hashes = [bytes(rng.getrandbits(8) for _ in range(20)) for _ in range(count)]
    sockets = []
    for ip in ANNOUNCER_IPS:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((ip, 0))
        s.setblocking(False)
        sockets.append(s)
    by_fd = {s.fileno(): i for i, s in enumerate(sockets)}
    node_id = bytes(rng.getrandbits(8) for _ in range(20))
    # work[(ip index, target)] = list of tasks; a task: [infohash index, port or None (get_peers), sent_at, done]
    tokens, acked, work = {}, {t: 0 for t in targets}, {}
    for h in range(count):
        ip = h % len(sockets)
        for t in targets:
            work.setdefault((ip, t), []).append([h, None, 0.0, False])
    last_send = {key: 0.0 for key in work}
    started = time.monotonic()
    while time.monotonic() - started < timeout and any(acked[t] < count * PEERS_PER_INFOHASH for t in targets):
        now = time.monotonic()
        for key, tasks in work.items():
            if now - last_send[key] < 0.25:
                continue
            for task in tasks:
                if task[3] or now - task[2] < 5:
                    continue
                h, port = task[0], task[1]
                tid = b"%c%c" % (h >> 8, h & 0xff) + (b"g" if port is None else b"%c" % (port - 10000))
                if port is None:
                    msg = {b"t": tid, b"y": b"q", b"q": b"get_peers", b"a": {b"id": node_id, b"info_hash": hashes[h]}}
                else:
                    msg = {b"t": tid, b"y": b"q", b"q": b"announce_peer",
                           b"a": {b"id": node_id, b"info_hash": hashes[h], b"port": port,
                                  b"token": tokens[(key[0], key[1], h)]}}
                sockets[key[0]].sendto(lt.bencode(msg), key[1])
                task[2] = now
                last_send[key] = now
                break
        readable, _, _ = select.select(sockets, [], [], 0.01)
        for s in readable:
            ip = by_fd[s.fileno()]
            while True:
                try:
                    data, sender = s.recvfrom(4096)
                except BlockingIOError:
                    break
                reply = lt.bdecode(data)
                if not reply or reply.get(b"y") != b"r" or len(reply.get(b"t", b"")) != 3:
                    continue
                tid = reply[b"t"]
                h, kind = (tid[0] << 8) | tid[1], tid[2:]
                tasks = work.get((ip, sender))
                if tasks is None:
                    continue
                if kind == b"g":
                    token = reply.get(b"r", {}).get(b"token")
                    task = next((t for t in tasks if t[0] == h and t[1] is None), None)
                    if token and task and not task[3]:
                        task[3] = True
                        tokens[(ip, sender, h)] = token
                        tasks.extend([h, 10000 + k, 0.0, False] for k in range(PEERS_PER_INFOHASH))
                else:
                    task = next((t for t in tasks if t[0] == h and t[1] == 10000 + kind[0]), None)
                    if task and not task[3]:
                        task[3] = True
                        acked[sender] += 1
    for s in sockets:
        s.close()
    return acked, time.monotonic() - started


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--nodes", type=int, default=300, help="libtorrent DHT nodes (default 300)")
    p.add_argument("--node-procs", type=int, default=3, help="python processes holding them (default 3)")
    p.add_argument("--torrents", type=int, default=2000, help="torrents in each client (default 2000)")
    p.add_argument("--stored", type=int, default=2000,
                   help="infohashes announced to each client, %d peers each (default 2000)" % PEERS_PER_INFOHASH)
    p.add_argument("--window", type=float, default=1080, help="seconds measured from the torrents' addition (default 1080)")
    p.add_argument("--sample", type=float, default=60, help="seconds between samples (default 60)")
    p.add_argument("--work", default=os.path.join(ROOT, "benchmarks", "target", "dht-load"))
    p.add_argument("--gray", default=os.path.join(ROOT, "gray"))
    p.add_argument("--out-rate", type=int, default=0, help="the DHT plugin's outBytesPerSecond (default: its own)")
    p.add_argument("--network", type=int, default=0,
                   help="addresses of network N (0-9), for runs side by side (default 0)")
    p.add_argument("--mode", choices=["main", "nodes", "client"], default="main", help=argparse.SUPPRESS)
    p.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    return p.parse_args()


def gray_distribution(args, routers):
    """A copy of the distribution whose plugins/ bind it to GRAY_ADDRESS, TCP only, joining through routers."""
    gray = gray_command(args)
    subprocess.run([gray, "--version"], check=True, stdout=subprocess.DEVNULL)  # builds when stale
    dist = os.path.join(args.work, "dist")
    shutil.rmtree(dist, ignore_errors=True)
    # the distribution ./gray builds, or the one whose bin/gray --gray names (e.g. a copy built from another commit)
    shutil.copytree(os.path.dirname(os.path.dirname(os.path.realpath(gray))), dist, symlinks=True)
    with open(os.path.join(dist, "plugins", "io.graytorrent.peerwire.cfg"), "w") as f:
        f.write("bindAddress=%s\nport=%d\ntransports=tcp\n" % (GRAY_ADDRESS, NODE_PORT))
    with open(os.path.join(dist, "plugins", "io.graytorrent.core.cfg"), "w") as f:
        f.write("maxActiveSeeds=%d\nmaxActiveDownloads=%d\n" % (args.torrents + 10, args.torrents + 10))
    with open(os.path.join(dist, "plugins", "io.graytorrent.dht.cfg"), "w") as f:
        f.write("bootstrapNodes=%s\n" % routers)
        if args.out_rate:
            f.write("outBytesPerSecond=%d\n" % args.out_rate)
    gray = os.path.join(dist, "bin", "gray")
    subprocess.run([gray, "--version"], check=True, stdout=subprocess.DEVNULL)
    return gray


def server_pid(home):
    with open(os.path.join(home, "server.pid")) as f:
        return int(f.read().strip())


def heap_after_gc(pid):
    subprocess.run(["jcmd", str(pid), "GC.run"], stdout=subprocess.DEVNULL, timeout=60)
    out = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True, timeout=60).stdout
    used = [int(line.split("used")[1].split("K")[0].strip()) for line in out.splitlines()
            if ("generation" in line or " heap " in line) and "total" in line]  # Serial: new + tenured; G1: one heap
    return sum(used) / 1024 if used else float("nan")


def stats(procs, proc):
    return json.loads(procs.command(proc, "stats", "stats", 60).split(" ", 1)[1])


def main():
    args = parse_args()
    use_network(args.network)
    if args.mode == "nodes":
        run_nodes(int(args.rest[0]), int(args.rest[1]), args.nodes)
        return
    if args.mode == "client":
        run_client(*args.rest)
        return
    os.makedirs(args.work, exist_ok=True)
    torrents = make_torrents(args.torrents, args.work)
    seed_torrent, seed_data, seed_hash = make_seed(args.work)
    # one node: a .cfg value is one string, and bootstrapNodes takes it as one HOST:PORT
    gray = gray_distribution(args, "%s:%d" % (node_address(JOIN_THROUGH[1] % args.nodes), NODE_PORT))
    home = fresh_dir(os.path.join(args.work, "gray-home"))
    procs = Processes(os.path.join(args.work, "processes.log"))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    me = os.path.abspath(__file__)
    try:
        started = time.monotonic()
        per = -(-args.nodes // args.node_procs)
        nodes = [procs.start([sys.executable, me, "--mode", "nodes", "--network", str(args.network), "--nodes", str(args.nodes), str(first),
                              str(min(per, args.nodes - first))], "lt nodes %d" % first, stdin=subprocess.PIPE)
                 for first in range(0, args.nodes, per)]
        for proc in nodes:
            procs.await_line(proc, "ready", 900)
        print("%d libtorrent nodes up in %.0f s, load %.1f" % (args.nodes, time.monotonic() - started,
                                                                os.getloadavg()[0]), flush=True)
        time.sleep(30)
        node_stats = [stats(procs, p) for p in nodes]
        print("  routing tables: %d node entries in all" % sum(s["dht.dht_nodes"] for s in node_stats), flush=True)
        client = procs.start([sys.executable, me, "--mode", "client", "--network", str(args.network), torrents, seed_torrent, seed_data], "lt client",
                             stdin=subprocess.PIPE)
        subprocess.run([gray, "--home", home, "server", "start"], check=True, stdout=subprocess.DEVNULL, timeout=180)
        api = Api(home)
        pid = server_pid(home)
        procs.await_line(client, "ready", 600)
        lt_added_wall = time.time()
        deadline = time.monotonic() + 180
        while api.call("GET", "/api/v1/dht")["ipv4"]["nodes"] < 8 or stats(procs, client)["dht.dht_nodes"] < 8:
            if time.monotonic() > deadline:
                raise RuntimeError("graytorrent (%d nodes) or libtorrent (%d) did not join the DHT within 180 s"
                                   % (api.call("GET", "/api/v1/dht")["ipv4"]["nodes"], stats(procs, client)["dht.dht_nodes"]))
            time.sleep(2)
        gray_dht = api.call("GET", "/api/v1/dht")
        print("both joined: graytorrent %d nodes, libtorrent %d nodes, load %.1f"
              % (gray_dht["ipv4"]["nodes"], stats(procs, client)["dht.dht_nodes"], os.getloadavg()[0]), flush=True)
        procs.command(client, "announce", "announced")  # the magnet link's torrent, found by then
        acked, took = store_peers([(GRAY_ADDRESS, NODE_PORT), (LT_ADDRESS, NODE_PORT)], args.stored, 600)
        gray_dht = api.call("GET", "/api/v1/dht")
        lt_stats = stats(procs, client)
        print("stored peers in %.0f s: announces acknowledged graytorrent %d, libtorrent %d; stored graytorrent %d "
              "peers on %d infohashes, libtorrent %d peers on %d infohashes"
              % (took, acked[(GRAY_ADDRESS, NODE_PORT)], acked[(LT_ADDRESS, NODE_PORT)], gray_dht["storedPeers"],
                 gray_dht["storedInfoHashes"], lt_stats["dht.dht_peers"], lt_stats["dht.dht_torrents"]), flush=True)
        measure(args, procs, api, pid, client, nodes, torrents, seed_hash, lt_added_wall)
    finally:
        subprocess.run([gray, "--home", home, "server", "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=120)
        for proc in procs.running:
            try:
                proc.popen.stdin.write("quit\n")
                proc.popen.stdin.flush()
            except (BrokenPipeError, ValueError, AttributeError):
                pass
        procs.stop_all()


def announced(nodes_stats, ip, since):
    """Announces the nodes received from ip, the distinct infohashes among them, and the seconds
    after since by which 50 % / 90 % / all of those infohashes had been announced first."""
    total = sum(s["announces"].get(ip, 0) for s in nodes_stats)
    first = {}
    for s in nodes_stats:
        for h, at in s["first"].get(ip, {}).items():
            first[h] = min(first.get(h, at), at)
    times = sorted(at - since for at in first.values())
    pick = lambda q: times[min(len(times) - 1, int(q * len(times)))] if times else float("nan")
    return total, len(first), (pick(0.5), pick(0.9), times[-1] if times else float("nan"))


def measure(args, procs, api, pid, client, nodes, torrents, seed_hash, lt_added_wall):
    """Adds the torrents to graytorrent (libtorrent seeds them already) and samples the window."""
    added = time.monotonic()
    added_wall = time.time()
    first = sample(args, procs, api, pid, client, nodes, added, added_wall, lt_added_wall)
    data = os.path.join(torrents, "data")
    for name in sorted(os.listdir(os.path.join(torrents, "torrents"))):
        with open(os.path.join(torrents, "torrents", name), "rb") as f:
            api.call("POST", "/api/v1/torrents?saveDirectory=" + data, f.read(), "application/x-bittorrent")
    print("added %d torrents to graytorrent in %.0f s" % (args.torrents, time.monotonic() - added), flush=True)
    print("\n| t s | gray CPU s (dht+udp threads / all) | gray pkts in / out | gray dropped out "
          "| gray lookups started / running | gray announces (distinct) | lt CPU s | lt msgs in / out "
          "| lt dropped out | lt announces (distinct) | gray RSS MiB | load |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    magnet_at = magnet_id = magnet_done = None
    show(first)
    while True:
        last = sample(args, procs, api, pid, client, nodes, added, added_wall, lt_added_wall)
        show(last)
        t = last["t"]
        if magnet_id is None and t >= args.window / 2:
            magnet_at = time.monotonic()
            magnet_id = api.call("POST", "/api/v1/torrents", json.dumps(
                {"magnet": "magnet:?xt=urn:btih:" + seed_hash,
                 "saveDirectory": fresh_dir(os.path.join(args.work, "magnet-save"))}))["id"]
        if t >= args.window:
            break
        next_at = added + (int(t / args.sample) + 1) * args.sample
        while time.monotonic() < next_at:
            if magnet_id is not None and magnet_done is None:
                if api.call("GET", "/api/v1/torrents/%d" % magnet_id)["state"] != "fetching_metadata":
                    magnet_done = time.monotonic() - magnet_at
                    print("  magnet link added at %.0f s: metadata after %.1f s" % (magnet_at - added, magnet_done),
                          flush=True)
            time.sleep(0.5)
    report(args, first, last, heap_after_gc(pid), magnet_done)


def sample(args, procs, api, pid, client, nodes, added, added_wall, lt_added_wall):
    threads = thread_cpu(pid)
    sample = {"t": time.monotonic() - added, "dht_cpu": sum(v for k, v in threads.items() if "dht" in k or "udp" in k),
              "cpu": tree_cpu(pid), "threads": threads, "gray": api.call("GET", "/api/v1/dht"),
              "lt": stats(procs, client), "lt_cpu": tree_cpu(client.pid), "rss": _status_kib(pid, "VmRSS") / 1024,
              "load": os.getloadavg()[0]}
    node_stats = [stats(procs, p) for p in nodes]
    sample["gray_ann"] = announced(node_stats, GRAY_ADDRESS, added_wall)
    sample["lt_ann"] = announced(node_stats, LT_ADDRESS, lt_added_wall)
    return sample


def show(sample):
    g, l, t = sample["gray"], sample["lt"], sample["t"]
    print("| %.0f | %.1f / %.1f | %d / %d | %d | %d / %d | %d (%d) | %.1f | %d / %d | %d | %d (%d) | %.0f | %.1f |"
              % (t, sample["dht_cpu"], sample["cpu"], g["packetsIn"], g["packetsOut"], g["droppedOut"],
                 g["lookupsStarted"], g["lookupsRunning"], sample["gray_ann"][0], sample["gray_ann"][1],
                 sample["lt_cpu"], l["dht.dht_messages_in"], l["dht.dht_messages_out"],
                 l["dht.dht_messages_out_dropped"], sample["lt_ann"][0], sample["lt_ann"][1],
                 sample["rss"], sample["load"]), flush=True)


def report(args, first, last, heap, magnet_done):
    seconds = last["t"] - first["t"]
    minutes = seconds / 60
    g0, g1, l0, l1 = first["gray"], last["gray"], first["lt"], last["lt"]
    top = sorted(((v - first["threads"].get(k, 0.0), k) for k, v in last["threads"].items()), reverse=True)[:8]
    print("\n%d torrents each, %d libtorrent nodes, %.0f s window from the torrents' addition, load %.1f at the end"
          % (args.torrents, args.nodes, seconds, last["load"]))
    print("| over the window | graytorrent | libtorrent |\n|---|---|---|")
    print("| CPU s per minute (graytorrent: graytorrent-dht + graytorrent-udp threads / whole server) "
          "| %.2f / %.2f | %.2f (whole process) |"
          % ((last["dht_cpu"] - first["dht_cpu"]) / minutes, (last["cpu"] - first["cpu"]) / minutes,
             (last["lt_cpu"] - first["lt_cpu"]) / minutes))
    print("| DHT packets in / out per s | %.1f / %.1f | %.1f / %.1f |"
          % ((g1["packetsIn"] - g0["packetsIn"]) / seconds, (g1["packetsOut"] - g0["packetsOut"]) / seconds,
             (l1["dht.dht_messages_in"] - l0["dht.dht_messages_in"]) / seconds,
             (l1["dht.dht_messages_out"] - l0["dht.dht_messages_out"]) / seconds))
    print("| DHT bytes out per s | %.0f | %.0f |" % ((g1["bytesOut"] - g0["bytesOut"]) / seconds,
                                                     (l1["dht.dht_bytes_out"] - l0["dht.dht_bytes_out"]) / seconds))
    print("| outgoing dropped for the rate limit | %d | %d |" % (g1["droppedOut"] - g0["droppedOut"],
          l1["dht.dht_messages_out_dropped"] - l0["dht.dht_messages_out_dropped"]))
    print("| lookups started (graytorrent's counter; running at the end) | %d (%d) | |"
          % (g1["lookupsStarted"] - g0["lookupsStarted"], g1["lookupsRunning"]))
    ga, la = last["gray_ann"], last["lt_ann"]
    print("| announce_peer the nodes received (distinct torrents) | %d (%d) | %d (%d) |" % (ga[0], ga[1], la[0], la[1]))
    print("| s from its torrents' addition until 50 %% / 90 %% / all of those torrents were first announced "
          "| %.0f / %.0f / %.0f | %.0f / %.0f / %.0f |" % (ga[2] + la[2]))
    print("| stored peers / infohashes at the end | %d / %d | %d / %d |" % (g1["storedPeers"], g1["storedInfoHashes"],
                                                                          l1["dht.dht_peers"], l1["dht.dht_torrents"]))
    print("| server RSS at the end / heap after GC MiB | %.0f / %.0f | |" % (last["rss"], heap))
    print("| magnet link at mid-window to metadata s | %s | |"
          % ("%.1f" % magnet_done if magnet_done else "not within the window"))
    print("\nserver threads by CPU s over the window: " + ", ".join("%s %.1f" % (k, v) for v, k in top))


if __name__ == "__main__":
    main()
