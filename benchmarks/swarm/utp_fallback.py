"""How long libtorrent takes to connect to a TCP-only peer with its default transports (uTP first).

Issue 19: graytorrent's `transports=utp,tcp` dials uTP first and TCP after 3 s without an answer
(two SYNs). This measures what libtorrent does in the same spot, on loopback: a libtorrent leecher
with default settings (uTP and TCP outgoing) is told of a libtorrent seeder that has uTP off, and
the time from `connect_peer` to a connected peer is taken; then the same with the leecher's uTP off,
which is the cost of the connection itself.

    /usr/bin/python3 benchmarks/swarm/utp_fallback.py [REPS]
"""
import os
import shutil
import sys
import tempfile
import time

import libtorrent as lt


def session(utp):
    return lt.session({"listen_interfaces": "127.0.0.1:0", "enable_dht": False, "enable_lsd": False,
                       "enable_upnp": False, "enable_natpmp": False, "alert_mask": 0,
                       "enable_outgoing_utp": utp, "enable_incoming_utp": utp})


def connect_time(info, data_dir, leecher_utp):
    seeder = session(utp=False)
    seeder.add_torrent({"ti": info, "save_path": data_dir})
    leecher = session(utp=leecher_utp)
    leech_dir = tempfile.mkdtemp()
    try:
        handle = leecher.add_torrent({"ti": info, "save_path": leech_dir})
        time.sleep(0.5)
        start = time.monotonic()
        handle.connect_peer(("127.0.0.1", seeder.listen_port()))
        while time.monotonic() - start < 30:
            connected = [p for p in handle.get_peer_info()
                         if not p.flags & (lt.peer_info.connecting | lt.peer_info.handshake)]
            if connected:
                return time.monotonic() - start
            time.sleep(0.01)
        return float("nan")
    finally:
        del leecher, seeder
        shutil.rmtree(leech_dir, ignore_errors=True)


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    data_dir = tempfile.mkdtemp()
    try:
        path = os.path.join(data_dir, "data")
        with open(path, "wb") as f:
            f.write(os.urandom(1 << 20))
        files = lt.file_storage()
        lt.add_files(files, path)
        torrent = lt.create_torrent(files, 16384)
        lt.set_piece_hashes(torrent, data_dir)
        info = lt.torrent_info(torrent.generate())
        for label, utp in (("default transports (uTP, then TCP)", True), ("TCP only", False)):
            times = [connect_time(info, data_dir, utp) for _ in range(reps)]
            print("libtorrent %s %s to a TCP-only peer: connected after %s s"
                  % (lt.__version__, label, ", ".join("%.2f" % t for t in times)), flush=True)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
