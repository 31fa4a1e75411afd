package io.graytorrent.control.internal.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.graytorrent.api.AddTorrent;
import io.graytorrent.api.FilePriority;
import io.graytorrent.api.FileStatus;
import io.graytorrent.api.TorrentException;
import io.graytorrent.api.TorrentService;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.api.json.StatusJson;
import io.graytorrent.api.util.TorrentUrlFetch;
import io.graytorrent.control.internal.http.ApiException;
import io.graytorrent.control.internal.http.ApiRequest;
import io.graytorrent.control.internal.http.JsonFields;
import io.graytorrent.control.internal.http.JsonReply;
import io.graytorrent.control.internal.http.Reply;
import io.graytorrent.control.internal.http.Router;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The torrents: list, add, one torrent's details, its files, peers, trackers and pieces, and what can be done to it. */
public final class TorrentRoutes {
    private static final String TORRENTS = "/api/v1/torrents";
    private static final String ONE = TORRENTS + "/{}";
    /** A numeric id or a whole infohash: prefixes are for people at a shell, not for programs. */
    private static final Pattern TORRENT_REF = Pattern.compile("[0-9]{1,9}|[0-9a-fA-F]{40}");
    static final int MAX_FILE_INDEXES = 10_000;

    private final EngineAccess engine;
    private final TorrentUrlFetch fetch = new TorrentUrlFetch();

    public TorrentRoutes(EngineAccess engine) {
        this.engine = engine;
    }

    public void register(Router router) {
        Router.Access access = Router.Access.SIGNED_IN;
        router.add(HttpMethod.GET, TORRENTS, access, this::list)
                .add(HttpMethod.POST, TORRENTS, access, this::add)
                .add(HttpMethod.GET, ONE, access, read((torrents, ref) -> withLabels(torrents.status(ref))))
                .add(HttpMethod.DELETE, ONE, access, this::remove)
                .add(HttpMethod.POST, ONE + "/start", access, act(TorrentService::start))
                .add(HttpMethod.POST, ONE + "/stop", access, act(TorrentService::stop))
                .add(HttpMethod.POST, ONE + "/verify", access, act(TorrentService::verify))
                .add(HttpMethod.GET, ONE + "/files", access, read((torrents, ref) -> Map.of("files",
                        torrents.files(ref).stream().map(StatusJson::file).toList())))
                .add(HttpMethod.PATCH, ONE + "/files", access, this::setPriority)
                .add(HttpMethod.GET, ONE + "/peers", access, read(TorrentRoutes::peers))
                .add(HttpMethod.GET, ONE + "/trackers", access, read((torrents, ref) -> Map.of("trackers",
                        torrents.trackers(ref).stream().map(StatusJson::tracker).toList())))
                .add(HttpMethod.GET, ONE + "/pieces", access, read((torrents, ref) -> TorrentJson.pieces(torrents.pieces(ref))));
    }

    /** The torrent's peers and web seeds, in that order. */
    static Map<String, Object> peers(TorrentService torrents, String ref) throws TorrentException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("peers", torrents.peers(ref).stream().map(StatusJson::peer).toList());
        json.put("webSeeds", torrents.webSeeds(ref).stream().map(StatusJson::webSeed).toList());
        return json;
    }

    /** What a GET shows of the torrent {@code ref}, as JSON values. */
    @FunctionalInterface
    private interface View {
        Object of(TorrentService torrents, String ref) throws TorrentException;
    }

    private Router.Route read(View view) {
        return request -> {
            String ref = checkedRef(request);
            return JsonReply.ok(view.of(engine.get(), ref));
        };
    }

    @FunctionalInterface
    private interface Action {
        void apply(TorrentService torrents, String ref) throws TorrentException;
    }

    /** Start, stop or verify; answers the torrent as it is right after the request. */
    private Router.Route act(Action action) {
        return read((torrents, ref) -> {
            action.apply(torrents, ref);
            return StatusJson.torrent(torrents.status(ref));
        });
    }

    /** Every torrent, or those with the label {@code label}; with all fields (and labels) unless {@code fields} names some. */
    private Reply list(ApiRequest request) throws ApiException {
        String fieldNames = request.query("fields", null);
        List<String> fields = TorrentJson.fieldNames(fieldNames);
        String label = request.query("label", null);
        return JsonReply.ok(Map.of("torrents", engine.get().list().stream()
                .filter(t -> label == null || engine.labelsOf(t.id()).contains(label))
                .map(t -> fieldNames == null ? withLabels(t) : StatusJson.torrent(t, fields)).toList()));
    }

    private Map<String, Object> withLabels(TorrentStatus status) {
        Map<String, Object> json = StatusJson.torrent(status);
        json.put("labels", engine.labelsOf(status.id()));
        return json;
    }

    private Reply add(ApiRequest request) throws ApiException, TorrentException {
        AddTorrent add = AddRequests.parse(request, fetch);
        TorrentStatus added = engine.get().add(add);
        return new JsonReply(HttpResponseStatus.CREATED, StatusJson.torrent(added), Map.of(
                HttpHeaderNames.LOCATION.toString(), TORRENTS + "/" + added.id()));
    }

    private Reply remove(ApiRequest request) throws ApiException, TorrentException {
        String ref = checkedRef(request);
        boolean deleteData = request.flag("deleteData");
        engine.get().remove(ref, deleteData);
        return JsonReply.noContent();
    }

    private Reply setPriority(ApiRequest request) throws ApiException, TorrentException {
        String ref = checkedRef(request);
        JsonNode body = request.jsonObject();
        JsonFields.onlyKeys(body, Set.of("indexes", "priority"));
        FilePriority priority = priority(JsonFields.text(body, "priority", 16));
        JsonNode list = body.path("indexes");
        if (!list.isArray() || list.isEmpty() || list.size() > MAX_FILE_INDEXES) {
            throw ApiException.badRequest("bad_field", "indexes must list 1 to " + MAX_FILE_INDEXES + " file indexes");
        }
        Set<Integer> known = new HashSet<>(engine.get().files(ref).stream().map(FileStatus::index).toList());
        Set<Integer> indexes = new LinkedHashSet<>();
        for (JsonNode index : list) {
            if (!index.isInt() || !known.contains(index.asInt()) || !indexes.add(index.asInt())) {
                throw ApiException.badRequest("bad_field", "indexes must be distinct indexes of this torrent's files, not " + index);
            }
        }
        engine.get().setFilePriority(ref, List.copyOf(indexes), priority);
        return JsonReply.ok(Map.of("indexes", body.get("indexes"), "priority", priority.name().toLowerCase(Locale.ROOT)));
    }

    private static FilePriority priority(String text) throws ApiException {
        for (FilePriority priority : FilePriority.values()) {
            if (priority.name().toLowerCase(Locale.ROOT).equals(text)) {
                return priority;
            }
        }
        throw ApiException.badRequest("bad_field", "priority must be skip, low, normal or high");
    }

    static String checkedRef(ApiRequest request) throws ApiException {
        String ref = request.parameter(0);
        if (!TORRENT_REF.matcher(ref).matches()) {
            throw ApiException.badRequest("bad_id", "a torrent is named by its id or its 40-hex infohash, not "
                    + JsonFields.abbreviate(ref));
        }
        return ref;
    }
}
