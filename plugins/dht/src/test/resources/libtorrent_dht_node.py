#!/usr/bin/python3
"""A libtorrent DHT node for interop tests: listen on IP:PORT, join the node at JOIN_IP:JOIN_PORT.

Prints one JSON line {"nodes": N} each time its DHT routing table size changes, and
{"peers": [...]} for get_peers results of an infohash asked for on stdin ("get HEX");
it exits when stdin closes, or after 60 s at the latest.
"""
import json
import select
import sys
import time

import libtorrent as lt

ip, port, join_ip, join_port = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
session = lt.session({
    'listen_interfaces': '%s:%d' % (ip, port),
    'enable_dht': True,
    'dht_bootstrap_nodes': '',
    'enable_lsd': False,
    'enable_upnp': False,
    'enable_natpmp': False,
    'alert_mask': lt.alert.category_t.dht_notification | lt.alert.category_t.dht_operation_notification
    | lt.alert.category_t.status_notification,
})
session.add_dht_node((join_ip, join_port))
print(json.dumps({'ready': True}), flush=True)

last_nodes = -1
deadline = time.time() + 60
while time.time() < deadline:
    readable, _, _ = select.select([sys.stdin], [], [], 0.2)
    if readable:
        line = sys.stdin.readline()
        if not line:
            break
        if line.startswith('get '):
            session.dht_get_peers(lt.sha1_hash(bytes.fromhex(line.split()[1])))
    session.post_dht_stats()
    for alert in session.pop_alerts():
        if isinstance(alert, lt.dht_stats_alert):
            nodes = sum(bucket['num_nodes'] for bucket in alert.routing_table)
            if nodes != last_nodes:
                last_nodes = nodes
                print(json.dumps({'nodes': nodes}), flush=True)
        elif isinstance(alert, lt.dht_get_peers_reply_alert):
            print(json.dumps({'peers': ['%s:%d' % p for p in alert.peers()]}), flush=True)
