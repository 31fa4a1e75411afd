#!/usr/bin/python3
"""One download of a file from a local nginx web seed (BEP 19), by graytorrent and by libtorrent.

    /usr/bin/python3 benchmarks/webseed/webseed.py [--mib 1024] [--piece-kib 1024] [--rounds N]
        [--gray LABEL=DIST ...]

Needs Debian's nginx-light and python3-libtorrent, and the built distribution
(distribution/target/graytorrent). Everything lives in a temporary directory; nginx runs as a child
process on 127.0.0.1 and is stopped by its PID. Prints MiB/s (wall, from start to verified) and
CPU seconds per GiB for each client; both downloads are compared with the source. `--gray` (repeatable)
names other unpacked distributions to run too (a "before" build, say), one after another in each of
`--rounds` rounds against the same nginx and file, so before and after alternate back to back.
"""
import argparse
import filecmp
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import libtorrent as lt

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GRAY = os.path.join(ROOT, "distribution/target/graytorrent/bin/gray")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_nginx(work, www):
    port = free_port()
    conf = os.path.join(work, "nginx.conf")
    temp = os.path.join(work, "tmp")
    os.makedirs(temp)
    with open(conf, "w") as f:
        f.write("daemon off; master_process off; user root; worker_processes 1;\n"
                "pid %s/nginx.pid; error_log %s/error.log warn;\nevents { worker_connections 256; }\n"
                "http { access_log off; sendfile on; keepalive_requests 100000;\n" % (work, work)
                + "".join("  %s_temp_path %s/%s;\n" % (kind, temp, kind)
                          for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
                + "  server { listen 127.0.0.1:%d; root %s; } }\n" % (port, www))
    nginx = subprocess.Popen(["/usr/sbin/nginx", "-p", work, "-c", conf])
    for _ in range(100):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return nginx, port
        time.sleep(0.1)
    nginx.kill()
    sys.exit("nginx did not start")


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def self_cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def gray_get(work, gray, torrent, out):
    env = dict(os.environ, GRAY_HOME=os.path.join(work, "gray-home"))
    cpu, start = children_cpu(), time.time()
    subprocess.run([gray, "get", torrent, "-d", out], env=env, check=True, stdout=subprocess.DEVNULL)
    return time.time() - start, children_cpu() - cpu


def libtorrent_get(torrent, out):
    cpu, start = self_cpu(), time.time()
    settings = lt.high_performance_seed()
    settings.update({"listen_interfaces": "127.0.0.1:0", "enable_dht": False, "enable_lsd": False,
                     "enable_upnp": False, "enable_natpmp": False, "ssrf_mitigation": False,
                     "alert_mask": 0})
    session = lt.session(settings)
    handle = session.add_torrent({"ti": lt.torrent_info(torrent), "save_path": out})
    while not handle.status().is_seeding:
        time.sleep(0.05)
    wall, used = time.time() - start, self_cpu() - cpu
    del handle, session
    return wall, used


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mib", type=int, default=1024)
    parser.add_argument("--piece-kib", type=int, default=1024)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--gray", action="append", default=[], metavar="LABEL=DIST",
                        help="also run DIST/bin/gray, labelled LABEL (repeatable)")
    args = parser.parse_args()
    grays = [("graytorrent (gray get)", GRAY)] + [
        ("gray " + label, os.path.join(dist, "bin/gray")) for label, dist in (g.split("=", 1) for g in args.gray)]
    work = tempfile.mkdtemp(prefix="webseed-bench-")
    nginx = None
    try:
        www = os.path.join(work, "www")
        os.makedirs(www)
        source = os.path.join(www, "big.bin")
        with open(source, "wb") as f:
            for _ in range(args.mib):
                f.write(os.urandom(1 << 20))
        nginx, port = start_nginx(work, www)
        torrent = os.path.join(work, "big.torrent")
        subprocess.run([GRAY, "create", source, "--piece-size", str(args.piece_kib * 1024), "--web-seed",
                        "http://127.0.0.1:%d/big.bin" % port, "-o", torrent],
                       env=dict(os.environ, GRAY_HOME=os.path.join(work, "gray-home")), check=True,
                       stdout=subprocess.DEVNULL)
        print("%d MiB from nginx on 127.0.0.1, %d KiB pieces, load average %.1f"
              % (args.mib, args.piece_kib, os.getloadavg()[0]))
        runs = [(name, lambda out, gray=gray: gray_get(work, gray, torrent, out)) for name, gray in grays]
        runs.append(("libtorrent 2.0", lambda out: libtorrent_get(torrent, out)))
        for _ in range(args.rounds):
            for name, run in runs:
                out = os.path.join(work, "out")
                wall, cpu = run(out)
                same = filecmp.cmp(source, os.path.join(out, "big.bin"), shallow=False)
                print("%-24s %7.1f MiB/s  %6.2f CPU-s/GiB  %s  %s UTC, load %.1f"
                      % (name, args.mib / wall, cpu * 1024 / args.mib, "verified" if same else "DIFFERENT DATA",
                         time.strftime("%H:%M:%S", time.gmtime()), os.getloadavg()[0]), flush=True)
                shutil.rmtree(out)
    finally:
        if nginx:
            nginx.kill()
            nginx.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
