#!/usr/bin/env bash
# The JDK's HttpClient against Netty's HttpClientCodec, fetching URL as a web seed does (HttpClients.java).
# usage: http-clients.sh URL SIZE_BYTES [ROUNDS]   (URL on a server that honours Range, e.g. nginx)
set -euo pipefail
netty=~/.m2/repository/io/netty
version=$(ls "$netty/netty-codec-http" | sort -V | tail -1)
cp=$(for m in buffer codec codec-http common handler resolver transport; do printf '%s:' "$netty/netty-$m/$version/netty-$m-$version.jar"; done)
exec java -cp "$cp" "$(dirname "$0")/HttpClients.java" "$@"
