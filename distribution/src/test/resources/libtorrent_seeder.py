"""A libtorrent seeder for graytorrent's end-to-end tests, on 127.0.0.1 only.

usage: libtorrent_seeder.py TORRENT DATA_DIR PORT UPLOAD_BYTES_PER_SECOND [rc4]
With "rc4" it accepts only RC4-encrypted connections (MSE forced both ways, RC4 only).
Prints "seeding PORT" once every piece of DATA_DIR is checked, then seeds until killed.
"""
import sys
import time

import libtorrent as lt

torrent_path, data_dir, port, upload_rate = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
force_rc4 = sys.argv[5:] == ["rc4"]

session = lt.session({
    "listen_interfaces": "127.0.0.1:%d" % port,
    "max_retry_port_bind": 0,  # never silently take another port: the test dials this one
    "enable_dht": False, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
    "enable_outgoing_utp": False, "enable_incoming_utp": False,  # TCP only: uTP crawls on loopback
    "allow_multiple_connections_per_ip": True,  # every test peer is 127.0.0.1
    "upload_rate_limit": upload_rate,
    "alert_mask": 0,
})
if force_rc4:
    session.apply_settings({"out_enc_policy": int(lt.enc_policy.pe_forced), "in_enc_policy": int(lt.enc_policy.pe_forced),
                            "allowed_enc_level": int(lt.enc_level.pe_rc4)})
# libtorrent exempts local peers (its "local" peer class) from rate limits; put everyone in the
# global class so the upload limit holds on 127.0.0.1 too
everyone = lt.ip_filter()
everyone.add_rule("0.0.0.0", "255.255.255.255", 1 << lt.session.global_peer_class_id)
session.set_peer_class_filter(everyone)
handle = session.add_torrent({"ti": lt.torrent_info(torrent_path), "save_path": data_dir})
deadline = time.time() + 60
while not handle.status().is_seeding:
    if time.time() > deadline:
        sys.exit("the seeder's data did not check complete: %s" % handle.status().state)
    time.sleep(0.05)
if session.listen_port() != port:
    sys.exit("libtorrent listens on %d, not %d" % (session.listen_port(), port))
print("seeding %d" % port, flush=True)
while True:
    time.sleep(1)
