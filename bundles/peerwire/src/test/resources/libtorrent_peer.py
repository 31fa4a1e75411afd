#!/usr/bin/python3
"""A libtorrent peer for graytorrent's peer wire interop tests.

usage: libtorrent_peer.py seed|leech WORKDIR SIZE PIECE_LENGTH [ENCRYPTION]

ENCRYPTION: "default" (libtorrent's: encryption enabled both ways, either level), "rc4" (forced
both ways, RC4 only) or "disabled" (plaintext only).

Writes SIZE random bytes to WORKDIR/payload.bin and makes a v1 torrent of it. A session listening
on 127.0.0.1 only then seeds it (seed), or downloads it into the empty WORKDIR/leech (leech).
Once the torrent is checked it prints one line
    ready port=P infohash=H pieces=N piece_length=L metadata_size=M file=F
and reads commands from stdin, one a line:
    connect PORT   make libtorrent dial 127.0.0.1:PORT; answers "ok"
    peers          one line "peer client=<v> address=<ip:port> encryption=<rc4|plaintext-after-mse|plaintext>"
                   per connection, then "end"
    status         "status pieces=<verified pieces> seeding=<True|False>"
    disconnects    "disconnects <n>": connections closed or refused so far (libtorrent's alerts)
It exits at end of input. Any failure prints "error <reason>" and exits non-zero.
"""
import os
import socket
import sys
import time


def fail(reason, code=2):
    print("error " + reason, flush=True)
    sys.exit(code)


try:
    import libtorrent as lt
except ImportError as e:
    fail("the python3 libtorrent module is missing (apt-get install python3-libtorrent): %s" % e, 3)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_torrent(workdir, size, piece_length):
    path = os.path.join(workdir, "payload.bin")
    with open(path, "wb") as f:
        f.write(os.urandom(size))
    fs = lt.file_storage()
    lt.add_files(fs, path)
    creator = lt.create_torrent(fs, piece_length, flags=lt.create_torrent.v1_only)
    lt.set_piece_hashes(creator, workdir)
    return path, lt.torrent_info(lt.bdecode(lt.bencode(creator.generate())))


ENCRYPTION = {
    "default": {},
    "rc4": {"out_enc_policy": int(lt.enc_policy.pe_forced), "in_enc_policy": int(lt.enc_policy.pe_forced),
            "allowed_enc_level": int(lt.enc_level.pe_rc4)},
    "disabled": {"out_enc_policy": int(lt.enc_policy.pe_disabled), "in_enc_policy": int(lt.enc_policy.pe_disabled)},
}


def encryption_of(peer):
    if peer.flags & lt.peer_info.rc4_encrypted:
        return "rc4"
    if peer.flags & lt.peer_info.plaintext_encrypted:
        return "plaintext-after-mse"
    return "plaintext"


def start_session(encryption):
    for _ in range(5):
        port = free_port()
        settings = lt.high_performance_seed()
        settings.update({
            "listen_interfaces": "127.0.0.1:%d" % port,
            "max_retry_port_bind": 0,
            "enable_outgoing_utp": False,
            "enable_incoming_utp": False,
            "enable_dht": False,
            "enable_lsd": False,
            "enable_upnp": False,
            "enable_natpmp": False,
            "allow_multiple_connections_per_ip": True,
            "tick_interval": 100,
            "max_failcount": 3,
            "min_reconnect_time": 1,
            "alert_mask": int(lt.alert.category_t.connect_notification | lt.alert.category_t.peer_notification
                              | lt.alert.category_t.error_notification),
        })
        settings.update(ENCRYPTION[encryption])
        session = lt.session(settings)
        if session.listen_port() == port:
            return session, port
        del session
    fail("libtorrent did not bind a free port on 127.0.0.1")


def wait_until(handle, ready, what, timeout=20):
    deadline = time.time() + timeout
    while not ready(handle.status()):
        if time.time() > deadline:
            fail("torrent not %s after %d s: %s" % (what, timeout, handle.status().state))
        time.sleep(0.05)


def main():
    if len(sys.argv) not in (5, 6) or sys.argv[1] not in ("seed", "leech") or sys.argv[5:] and sys.argv[5] not in ENCRYPTION:
        fail("usage: libtorrent_peer.py seed|leech WORKDIR SIZE PIECE_LENGTH [default|rc4|disabled]")
    mode, workdir, size, piece_length = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    encryption = sys.argv[5] if len(sys.argv) == 6 else "default"
    path, info = make_torrent(workdir, size, piece_length)
    session, port = start_session(encryption)
    params = lt.add_torrent_params()
    params.ti = info
    if mode == "seed":
        params.save_path = workdir
        handle = session.add_torrent(params)
        wait_until(handle, lambda status: status.is_seeding, "seeding")
    else:
        params.save_path = os.path.join(workdir, "leech")
        os.mkdir(params.save_path)
        handle = session.add_torrent(params)
        wait_until(handle, lambda status: status.state == lt.torrent_status.downloading, "downloading")
    print("ready port=%d infohash=%s pieces=%d piece_length=%d metadata_size=%d file=%s" % (
        port, info.info_hashes().v1, info.num_pieces(), info.piece_length(), len(info.info_section()), path),
        flush=True)
    disconnects = 0
    for line in sys.stdin:
        words = line.split()
        if words[:1] == ["connect"]:
            handle.connect_peer(("127.0.0.1", int(words[1])))
            print("ok", flush=True)
        elif words[:1] == ["peers"]:
            for peer in handle.get_peer_info():
                client = peer.client.decode("utf-8", "replace") if isinstance(peer.client, bytes) else peer.client
                print("peer client=%s address=%s:%d encryption=%s" % (client.replace(" ", "_"), peer.ip[0], peer.ip[1],
                      encryption_of(peer)), flush=True)
            print("end", flush=True)
        elif words[:1] == ["disconnects"]:
            disconnects += sum(1 for alert in session.pop_alerts() if isinstance(alert, lt.peer_disconnected_alert))
            print("disconnects %d" % disconnects, flush=True)
        elif words[:1] == ["status"]:
            status = handle.status()
            print("status pieces=%d seeding=%s" % (status.num_pieces, status.is_seeding), flush=True)
        else:
            fail("unknown command: " + line.strip())


main()
