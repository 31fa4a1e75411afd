package io.graytorrent.control.internal.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.graytorrent.api.TorrentException;
import io.graytorrent.api.TorrentLabels;
import io.graytorrent.control.internal.http.ApiException;
import io.graytorrent.control.internal.http.ApiRequest;
import io.graytorrent.control.internal.http.JsonFields;
import io.graytorrent.control.internal.http.JsonReply;
import io.graytorrent.control.internal.http.Reply;
import io.graytorrent.control.internal.http.Router;
import io.netty.handler.codec.http.HttpMethod;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** A torrent's labels: {@code PATCH /api/v1/torrents/{id}/labels} with {@code {"add":[..],"remove":[..]}}. */
public final class LabelRoutes {
    private final EngineAccess engine;

    public LabelRoutes(EngineAccess engine) {
        this.engine = engine;
    }

    public void register(Router router) {
        router.add(HttpMethod.PATCH, "/api/v1/torrents/{}/labels", Router.Access.SIGNED_IN, this::change);
    }

    private Reply change(ApiRequest request) throws ApiException, TorrentException {
        String ref = TorrentRoutes.checkedRef(request);
        JsonNode body = request.jsonObject();
        JsonFields.onlyKeys(body, Set.of("add", "remove"));
        Set<String> add = names(body, "add");
        Set<String> remove = names(body, "remove");
        return JsonReply.ok(Map.of("labels", engine.labels().change(ref, add, remove)));
    }

    /** The list {@code name}, or none; each entry a string (what a label may be, the engine checks). */
    private static Set<String> names(JsonNode body, String name) throws ApiException {
        JsonNode list = body.path(name);
        Set<String> names = new LinkedHashSet<>();
        if (list.isMissingNode()) {
            return names;
        }
        if (!list.isArray() || list.size() > TorrentLabels.MAX_LABELS) {
            throw ApiException.badRequest("bad_field", name + " must list at most " + TorrentLabels.MAX_LABELS + " labels");
        }
        for (JsonNode label : list) {
            if (!label.isTextual()) {
                throw ApiException.badRequest("bad_field", name + " must list labels as strings, not " + label);
            }
            names.add(label.asText());
        }
        return names;
    }
}
