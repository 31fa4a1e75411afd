"""One libtorrent peer of the loopback swarm benchmark, tuned for 127.0.0.1.

usage: lt_peer.py seed TORRENT SAVE_PATH PORT
       lt_peer.py leech TORRENT SAVE_PATH PORT SEEDER_PORT
       lt_peer.py magnet LINK SAVE_PATH ADDRESS DHT_NODE

seed:  checks SAVE_PATH, prints "ready PORT" once every piece is there, seeds until killed.
leech: prints "added CPU" once the torrent is added, dials 127.0.0.1:SEEDER_PORT, downloads into
       SAVE_PATH, prints "complete CPU" when every piece is verified and exits 0. CPU is this
       process's CPU seconds so far (all threads), so the harness can take the transfer's share.
magnet: listens on ADDRESS (a 127.0.N.1 of its own, see shared/INTEROP-NOTES.md) with the DHT on,
       no router, joined only through DHT_NODE (HOST:PORT); adds the magnet link at once and, when
       its routing table first holds a node, announces it (its add-time lookup found nobody);
       prints "metadata CPU" when the metadata arrived and "complete CPU" when every piece is
       verified, then exits 0.
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


def open_session(port, address="127.0.0.1", dht_node=None):
    # the loopback tuning that works: the high-performance preset, TCP only, every peer on 127.0.0.1
    settings = lt.high_performance_seed()
    settings.update({
        "listen_interfaces": "%s:%d" % (address, port),
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
    if dht_node:
        # no router (its name would delay the start), loopback nodes allowed: shared/INTEROP-NOTES.md
        settings.update({"enable_dht": True, "dht_bootstrap_nodes": "", "dht_restrict_routing_ips": False,
                         "dht_restrict_search_ips": False, "outgoing_interfaces": address})
    session = lt.session(settings)
    if dht_node:
        host, node_port = dht_node.rsplit(":", 1)
        session.add_dht_node((host, int(node_port)))
    if port and session.listen_port() != port:
        fail("libtorrent listens on %d, not %d" % (session.listen_port(), port))
    return session


def dht_nodes(session):
    session.post_dht_stats()
    deadline = time.time() + 5
    while time.time() < deadline:
        for alert in session.pop_alerts():
            if isinstance(alert, lt.dht_stats_alert):
                return sum(bucket["num_nodes"] for bucket in alert.routing_table)
        time.sleep(0.01)
    return 0


def magnet(link, save_path, address, dht_node):
    session = open_session(0, address, dht_node)
    session.apply_settings({"alert_mask": int(lt.alert.category_t.dht_notification)})
    params = lt.parse_magnet_uri(link)
    params.save_path = save_path
    handle = session.add_torrent(params)
    print("added %.3f" % time.process_time(), flush=True)
    announced = has_metadata = False
    while not handle.status().is_seeding:
        status = handle.status()
        if not announced and dht_nodes(session) > 0:
            handle.force_dht_announce()
            announced = True
        if status.has_metadata and not has_metadata:
            has_metadata = True
            print("metadata %.3f" % time.process_time(), flush=True)
        time.sleep(0.01)
    if not has_metadata:
        print("metadata %.3f" % time.process_time(), flush=True)
    print("complete %.3f" % time.process_time(), flush=True)


def main():
    if len(sys.argv) < 5 or sys.argv[1] not in ("seed", "leech", "magnet") \
            or (sys.argv[1] in ("leech", "magnet")) != (len(sys.argv) == 6):
        fail(__doc__.strip().splitlines()[2])
    if sys.argv[1] == "magnet":
        magnet(*sys.argv[2:6])
        return
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
