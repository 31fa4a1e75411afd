"""The steady-state download (swarm.py --mode server): a warm graytorrent server against a libtorrent
leecher, each measured from adding the torrent to complete, without either one's process start-up.

graytorrent: one `gray server start` for the whole case; unreported transfers of at least
WARM_UP_MIB (and at least one) warm its JIT first: after a single 1 GiB transfer the next two still
cost 4.6-4.9 CPU-s, from the third on ~3.0 (C2 compiles the hot loops late, see bin/gray). Then
each run adds the torrent with `gray add` into a fresh directory, polls the control API every
POLL_SECONDS until every wanted byte is verified, takes the server's CPU (/proc utime+stime) over
that span, and removes the torrent with its data (`gray rm -r`).
libtorrent: a fresh `lt_peer.py leech` per run, timed from its "added" line to its "complete" line;
its CPU over that span is what the process itself reports on those lines (time.process_time()).
"""
import http.client
import json
import os
import subprocess
import sys
import time

import libtorrent as lt

from processes import free_port, tree_cpu, tree_peak_rss
from report import Result
from workload import allocated_bytes, fresh_dir, verify

HERE = os.path.dirname(os.path.abspath(__file__))
LT_PEER = os.path.join(HERE, "lt_peer.py")
# each poll costs the server 1-2 ms of CPU: 10 a second add 1-2 % to a 1 GiB download's CPU
POLL_SECONDS = 0.1
WARM_UP_MIB = 3072


class GrayServer:
    """A `gray server` in its own GRAY_HOME, listening for peers on its own port; stopped by PID."""

    def __init__(self, gray, home):
        self.gray, self.home = gray, home
        env = dict(os.environ, GRAY_JAVA_OPTS=(os.environ.get("GRAY_JAVA_OPTS", "") +
                                               " -Dgraytorrent.listen.port=%d" % free_port()).strip())
        subprocess.run([gray, "--home", home, "server", "start"], check=True, stdout=subprocess.DEVNULL,
                       env=env, timeout=120)
        self.pid = int(self._read("server.pid"))
        self.port = int(self._read("control.port"))
        self.token = self._read("control.token")

    def _read(self, name):
        with open(os.path.join(self.home, name)) as f:
            return f.read().strip()

    def command(self, *args):
        """Runs `gray ARGS` against this server, as a user would."""
        subprocess.run([self.gray, "--home", self.home] + list(args), check=True, stdout=subprocess.DEVNULL,
                       timeout=120)

    def verified(self, info_hash):
        """(verifiedBytes, wantedBytes) of a torrent, straight from the control API."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", "/api/v1/torrents/" + info_hash, headers={"Authorization": "Bearer " + self.token})
            response = connection.getresponse()
            body = response.read()
            if response.status != 200:
                raise RuntimeError("GET torrent %s: HTTP %d %s" % (info_hash, response.status, body[:200]))
            torrent = json.loads(body)
            if torrent.get("error"):
                raise RuntimeError("the server reports an error: %s" % torrent["error"])
            return torrent["verifiedBytes"], torrent["wantedBytes"]
        finally:
            connection.close()

    def stop(self):
        if subprocess.run([self.gray, "--home", self.home, "server", "stop"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, timeout=60).returncode != 0:
            try:
                os.kill(self.pid, 9)
            except ProcessLookupError:
                pass


def gray_transfer(server, case, seeder_port, target, timeout):
    """One add-to-complete transfer in the warm server; returns its Result and the add command's wall."""
    info_hash = str(lt.torrent_info(case.torrent).info_hash())
    cpu_before = tree_cpu(server.pid)
    started = time.monotonic()
    add = subprocess.Popen([server.gray, "--home", server.home, "add", case.torrent, "-d", target,
                            "--peer", "127.0.0.1:%d" % seeder_port], stdout=subprocess.DEVNULL)
    add_wall = first_byte = None
    deadline = started + timeout
    next_poll = 0.0
    while True:
        now = time.monotonic()
        if first_byte is None and allocated_bytes(target) > 0:
            first_byte = now
        if add_wall is None and add.poll() is not None:
            if add.returncode != 0:
                raise RuntimeError("gray add exited with status %d" % add.returncode)
            add_wall = now - started
        if add_wall is not None and now >= next_poll:
            verified, wanted = server.verified(info_hash)
            if verified == wanted:
                break
            next_poll = now + POLL_SECONDS
        if now > deadline:
            add.kill()
            raise RuntimeError("the server did not complete %s within %.0f s" % (case, timeout))
        time.sleep(0.02)
    complete = time.monotonic()
    cpu = tree_cpu(server.pid) - cpu_before
    verify(case, target)
    server.command("rm", "-r", info_hash)
    return Result("graytorrent", complete - started, (first_byte or complete) - started, complete - started,
                  cpu, tree_peak_rss(server.pid)), add_wall


def lt_transfer(procs, case, seeder_port, target, timeout):
    """One libtorrent leecher, measured from its torrent's add to complete."""
    proc = procs.start([sys.executable, LT_PEER, "leech", case.torrent, target, str(free_port()), str(seeder_port)],
                       "lt leecher")
    added_at, added = procs.await_line(proc, "added", 60)
    first_byte = []
    peak_rss = [0]

    def watch_for_data():
        if not first_byte and allocated_bytes(target) > 0:
            first_byte.append(time.monotonic())
        peak_rss[0] = max(peak_rss[0], tree_peak_rss(proc.pid))  # see swarm.leech: not ru_maxrss

    complete_at, complete = procs.await_line(proc, "complete", timeout, watch_for_data)
    watch_for_data()
    status, _ = procs.wait(proc, timeout)
    if status != 0:
        raise RuntimeError("the libtorrent leecher exited with status %s; its output: %s" % (status, proc.log))
    verify(case, target)
    cpu = float(complete.split()[1]) - float(added.split()[1])
    return Result("libtorrent", complete_at - added_at, (first_byte or [complete_at])[0] - added_at,
                  complete_at - added_at, cpu, peak_rss[0])


def run_download(procs, args, gray, case, results):
    seeder_port = free_port()
    seeder = procs.start([sys.executable, LT_PEER, "seed", case.torrent, case.data_dir, str(seeder_port)], "lt seeder")
    procs.await_line(seeder, "ready", 600)
    server = GrayServer(gray, fresh_dir(os.path.join(args.work, "gray-server-home")))
    try:
        for _ in range(max(1, -(-WARM_UP_MIB // case.mib))):
            target = fresh_dir(os.path.join(args.work, "download", "graytorrent"))
            warm_up, _ = gray_transfer(server, case, seeder_port, target, args.timeout)
            print("  warm-up (not reported) %s" % warm_up, flush=True)
        for rep in range(args.reps):
            for client in ("graytorrent", "libtorrent"):
                target = fresh_dir(os.path.join(args.work, "download", client))
                if client == "graytorrent":
                    result, add_wall = gray_transfer(server, case, seeder_port, target, args.timeout)
                    note = "  (of which `gray add` %.2f s)" % add_wall
                else:
                    result, note = lt_transfer(procs, case, seeder_port, target, args.timeout), ""
                results.append(("steady", case, result))
                print("  steady download rep %d %s%s" % (rep + 1, result, note), flush=True)
                subprocess.run(["rm", "-rf", target], check=True)
    finally:
        server.stop()
        procs.stop(seeder)
