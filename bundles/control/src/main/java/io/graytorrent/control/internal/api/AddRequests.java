package io.graytorrent.control.internal.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.graytorrent.api.AddTorrent;
import io.graytorrent.api.util.TorrentUrlFetch;
import io.graytorrent.control.internal.http.ApiException;
import io.graytorrent.control.internal.http.ApiRequest;
import io.graytorrent.control.internal.http.JsonFields;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an add request in its three forms: the .torrent as the body ({@code application/x-bittorrent},
 * options in the query), a browser form ({@code multipart/form-data}, file part {@code torrent}), or
 * JSON with a magnet link or the http(s) URL of a .torrent, which {@code fetch} fetches. The engine
 * validates the .torrent and the magnet link's content.
 */
final class AddRequests {
    static final int MAX_MAGNET_LENGTH = 8192;
    static final int MAX_PEERS = 64;
    /** An IP literal and port: the API never makes the engine look up a host name. */
    private static final Pattern PEER = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3}|\\[[0-9a-fA-F:.]{2,45}])"
            + ":(\\d{1,5})");


    private AddRequests() {
    }

    static AddTorrent parse(ApiRequest request, TorrentUrlFetch fetch) throws ApiException {
        return switch (request.contentType()) {
            case "application/x-bittorrent" -> torrentFile(request.body(),
                    JsonFields.absolutePath("saveDirectory", request.query("saveDirectory", null)), request.flag("paused"),
                    peers(request.query().getOrDefault("peer", List.of())));
            case "multipart/form-data" -> form(request);
            case "application/json" -> json(request.jsonObject(), fetch);
            default -> throw new ApiException(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "send a .torrent as application/x-bittorrent or multipart/form-data, or a magnet link or URL as application/json");
        };
    }

    private static AddTorrent torrentFile(byte[] torrent, Path saveDirectory, boolean paused, List<InetSocketAddress> peers)
            throws ApiException {
        if (torrent == null || torrent.length == 0) {
            throw ApiException.badRequest("bad_request", "no .torrent in the request");
        }
        return new AddTorrent(torrent, saveDirectory, paused, peers);
    }

    private static AddTorrent form(ApiRequest request) throws ApiException {
        byte[] torrent = null;
        String saveDirectory = null;
        String paused = "false";
        List<String> peers = new ArrayList<>();
        for (MultipartForm.Part part : MultipartForm.parse(request.body(),
                MultipartForm.boundary(request.headers().get(HttpHeaderNames.CONTENT_TYPE, "")))) {
            if (part.filename() != null) {
                if (!part.name().equals("torrent") || torrent != null) {
                    throw ApiException.badRequest("bad_field", "send one file, as the form field torrent");
                }
                torrent = part.content();
                continue;
            }
            String value = new String(part.content(), StandardCharsets.UTF_8);
            if (value.length() > JsonFields.MAX_PATH_LENGTH) {
                throw ApiException.badRequest("bad_field", part.name() + " is longer than " + JsonFields.MAX_PATH_LENGTH);
            }
            switch (part.name()) {
                case "saveDirectory" -> saveDirectory = value;
                case "paused" -> paused = value;
                case "peer" -> peers.add(value);
                default -> throw ApiException.badRequest("bad_field", "unknown form field " + JsonFields.abbreviate(part.name()));
            }
        }
        return torrentFile(torrent, JsonFields.absolutePath("saveDirectory", saveDirectory), JsonFields.parseFlag("paused", paused),
                peers(peers));
    }

    /** {"magnet": …} or {"url": …}, with the options saveDirectory, paused and peers. */
    private static AddTorrent json(JsonNode body, TorrentUrlFetch fetch) throws ApiException {
        JsonFields.onlyKeys(body, Set.of("magnet", "url", "saveDirectory", "paused", "peers"));
        String magnet = JsonFields.text(body, "magnet", MAX_MAGNET_LENGTH);
        String url = JsonFields.text(body, "url", TorrentUrlFetch.MAX_URL_LENGTH);
        if ((magnet == null) == (url == null)) {
            throw ApiException.badRequest("bad_field", "give either magnet or url");
        }
        if (magnet != null && !magnet.startsWith("magnet:?")) {
            throw ApiException.badRequest("bad_field", "magnet must be a magnet:? link of at most " + MAX_MAGNET_LENGTH + " characters");
        }
        List<String> peers = new ArrayList<>();
        JsonNode list = body.path("peers");
        if (!list.isMissingNode() && (!list.isArray() || list.size() > MAX_PEERS)) {
            throw ApiException.badRequest("bad_field", "peers must be a list of at most " + MAX_PEERS + " addresses");
        }
        for (JsonNode peer : list) {
            peers.add(peer.isTextual() ? peer.asText() : "");
        }
        Path saveDirectory = JsonFields.absolutePath("saveDirectory", JsonFields.text(body, "saveDirectory", JsonFields.MAX_PATH_LENGTH));
        boolean paused = JsonFields.bool(body, "paused");
        List<InetSocketAddress> addresses = peers(peers);
        if (url != null) {
            // every field is checked before the server fetches anything
            try {
                return torrentFile(fetch.fetch(TorrentUrlFetch.parse(url)), saveDirectory, paused, addresses);
            } catch (TorrentUrlFetch.FetchException e) {
                throw e.badUrl() ? ApiException.badRequest("bad_url", e.getMessage())
                        : new ApiException(HttpResponseStatus.BAD_GATEWAY, "fetch_failed", e.getMessage());
            }
        }
        return AddTorrent.magnet(magnet, saveDirectory, paused, addresses);
    }

    /** {@code 127.0.0.1:6881} or {@code [::1]:6881} each; at most {@value #MAX_PEERS}. */
    static List<InetSocketAddress> peers(List<String> texts) throws ApiException {
        if (texts.size() > MAX_PEERS) {
            throw ApiException.badRequest("bad_field", "at most " + MAX_PEERS + " peers");
        }
        List<InetSocketAddress> peers = new ArrayList<>();
        for (String text : texts) {
            Matcher matcher = PEER.matcher(text);
            int port = matcher.matches() ? Integer.parseInt(matcher.group(2)) : 0;
            if (port < 1 || port > 65535 || (!matcher.group(1).startsWith("[")
                    && Arrays.stream(matcher.group(1).split("\\.")).anyMatch(octet -> Integer.parseInt(octet) > 255))) {
                throw ApiException.badRequest("bad_field", "a peer is IP:port, not " + JsonFields.abbreviate(text));
            }
            try {
                String host = matcher.group(1);
                peers.add(new InetSocketAddress(InetAddress.getByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host), port));
            } catch (UnknownHostException e) {
                throw ApiException.badRequest("bad_field", "not an IP address: " + JsonFields.abbreviate(text));
            }
        }
        return peers;
    }
}
