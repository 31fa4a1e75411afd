"""One libtorrent peer of the loopback swarm benchmark, tuned for 127.0.0.1.

usage: lt_peer.py seed TORRENT SAVE_PATH PORT
       lt_peer.py leech TORRENT SAVE_PATH PORT SEEDER_PORT

seed:  checks SAVE_PATH, prints "ready PORT" once every piece is there, seeds until killed.
leech: prints "added CPU" once the torrent is added, dials 127.0.0.1:SEEDER_PORT, downloads into
       SAVE_PATH, prints "complete CPU" when every piece is verified and exits 0. CPU is this
       process's CPU seconds so far (all threads), so the harness can take the transfer's share.
A failure prints "error REASON" and exits non-zero.
With LT_ENCRYPTION=rc4 in the environment it speaks only RC4-encrypted MSE (forced both ways).
With LT_TRANSPORT=utp it speaks only uTP (TCP off both ways) instead of only TCP.
"""
import os
import sys
import time

try:
    import libtorrent as lt
except ImportError as e:
    print("error the python3 libtorrent module is missing (apt-get install python3-libtorrent): %s" % e, flush=True)
    sys.exit(3)


def fail(reason):
    print("error " + reason, flush=True)
    sys.exit(2)


def open_session(port):
    # the loopback tuning that works: the high-performance preset, TCP only, every peer on 127.0.0.1
    settings = lt.high_performance_seed()
    settings.update({
        "listen_interfaces": "127.0.0.1:%d" % port,
        "max_retry_port_bind": 0,  # never bind port+1 silently: the other side dials this one
        "enable_outgoing_utp": False, "enable_incoming_utp": False,
        "enable_dht": False, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
        "allow_multiple_connections_per_ip": True,
        # plaintext, as graytorrent speaks it: libtorrent's default first tries an encrypted handshake,
        # and falling back from it costs a peer without encryption a second per connection
        "out_enc_policy": int(lt.enc_policy.disabled), "in_enc_policy": int(lt.enc_policy.disabled),
        "tick_interval": 100,  # outgoing connects happen on the tick
        "max_failcount": 20, "min_reconnect_time": 1,  # the preset gives up after one refused connect
        "alert_mask": 0,
    })
    if os.environ.get("LT_TRANSPORT") == "utp":
        settings.update({"enable_outgoing_utp": True, "enable_incoming_utp": True,
                         "enable_outgoing_tcp": False, "enable_incoming_tcp": False})
    if os.environ.get("LT_ENCRYPTION") == "rc4":
        settings.update({"out_enc_policy": int(lt.enc_policy.forced), "in_enc_policy": int(lt.enc_policy.forced),
                         "allowed_enc_level": int(lt.enc_level.rc4)})
    session = lt.session(settings)
    if session.listen_port() != port:
        fail("libtorrent listens on %d, not %d" % (session.listen_port(), port))
    return session


def main():
    if len(sys.argv) < 5 or sys.argv[1] not in ("seed", "leech") or (sys.argv[1] == "leech") != (len(sys.argv) == 6):
        fail(__doc__.strip().splitlines()[2])
    mode, torrent, save_path, port = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    session = open_session(port)
    handle = session.add_torrent({"ti": lt.torrent_info(torrent), "save_path": save_path})
    if mode == "seed":
        deadline = time.time() + 600
        while not handle.status().is_seeding:
            if time.time() > deadline:
                fail("the seed data did not check complete: %s" % handle.status().state)
            time.sleep(0.05)
        print("ready %d" % port, flush=True)
        while True:
            time.sleep(1)
    print("added %.3f" % time.process_time(), flush=True)
    seeder = ("127.0.0.1", int(sys.argv[5]))
    next_dial = 0.0
    while not handle.status().is_seeding:
        # connect_peer is ignored while the torrent checks, so dial until the seeder is connected
        if handle.status().num_peers == 0 and time.time() >= next_dial:
            handle.connect_peer(seeder)
            next_dial = time.time() + 0.5
        time.sleep(0.01)
    print("complete %.3f" % time.process_time(), flush=True)


main()
