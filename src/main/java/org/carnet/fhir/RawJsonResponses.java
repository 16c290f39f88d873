package org.carnet.fhir;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.carnet.record.Everything;
import org.carnet.record.RecordReads;
import org.carnet.record.References;
import org.carnet.record.SupportedTypes;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Serves the most frequent JSON reads — read by id, type search, {@code $everything} and their next pages —
 * straight from the stored JSON, without parsing and re-encoding every resource (which cost most of a
 * read's CPU). The bundles it writes are those HAPI would write for the same request: same links, paging
 * store, entry order and search modes. Anything else (XML, {@code _summary}, {@code _elements}, errors) goes on
 * to HAPI's {@code RestfulServer}, so that one path answers every error.
 */
final class RawJsonResponses extends OncePerRequestFilter {

    private static final Set<String> JSON_FORMATS = Set.of("json", "application/json", "application/fhir+json");
    private static final Set<String> RESERVED = Set.of("_history", "_search", "metadata", "$everything");
    private static final String CONTENT_TYPE = "application/fhir+json;charset=utf-8";

    private final RecordReads vault;
    private final Everything everything;
    private final Searches searches;
    private final ResultStore store;
    private final Audits audits;
    private final long maxPageBytes;
    private final Clock clock;

    RawJsonResponses(
            RecordReads vault,
            Everything everything,
            Searches searches,
            ResultStore store,
            Audits audits,
            long maxPageBytes,
            Clock clock) {
        this.everything = everything;
        this.audits = audits;
        this.maxPageBytes = maxPageBytes;
        this.clock = clock;
        this.vault = vault;
        this.searches = searches;
        this.store = store;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!"GET".equals(request.getMethod()) || !wantsPlainJson(request)) {
            chain.doFilter(request, response);
            return;
        }
        String written;
        try {
            written = answer(request, response);
        } catch (BaseServerResponseException | org.springframework.dao.DataAccessException e) {
            written = null; // HAPI answers the same request, and its error handling names the mistake
        }
        if (written == null) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = written.getBytes(StandardCharsets.UTF_8);
        audits.recordBeforeAnswer(request);
        response.setStatus(200);
        response.setContentType(CONTENT_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** The JSON body of the answer, with headers set; null when HAPI should answer instead. */
    private @org.jspecify.annotations.Nullable String answer(HttpServletRequest request, HttpServletResponse response) {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        String[] parts = path.isEmpty() || "/".equals(path)
                ? new String[0]
                : path.substring(1).split("/");
        Map<String, String[]> params = request.getParameterMap();
        if (parts.length == 0 && params.containsKey("_getpages")) {
            return nextPage(request, params);
        }
        if (parts.length == 0 || !SupportedTypes.isSupported(parts[0])) {
            return null;
        }
        Integer count = Searches.count(params);
        if (count != null && count == 0) {
            return null;
        }
        if (parts.length == 1) {
            return firstPage(
                    request, searches.search(parts[0], params, Searches.isStrict(request.getHeader("Prefer"))), count);
        }
        if (parts.length == 2 && params.isEmpty() && !RESERVED.contains(parts[1]) && References.isValidId(parts[1])) {
            return read(request, response, parts[0], parts[1]);
        }
        if (parts.length == 3
                && "Patient".equals(parts[0])
                && "$everything".equals(parts[2])
                && params.keySet().stream().allMatch(name -> name.equals("_count") || name.equals("_format"))) {
            ResultPages pages = new ResultPages(
                    vault,
                    "Patient",
                    everything.everything(parts[1], CurrentAccess.visibility()),
                    Includes.NONE,
                    null,
                    maxPageBytes);
            return firstPage(request, pages, count);
        }
        return null;
    }

    private @org.jspecify.annotations.Nullable String read(
            HttpServletRequest request, HttpServletResponse response, String type, String id) {
        return vault.readJson(type, id, CurrentAccess.visibility())
                .map(stored -> {
                    CurrentAccess.disclose(type, id, stored.patientId());
                    response.setHeader("ETag", "W/\"" + stored.version() + "\"");
                    response.setHeader(
                            "Last-Modified",
                            DateTimeFormatter.RFC_1123_DATE_TIME.format(
                                    stored.lastUpdated().atOffset(ZoneOffset.UTC)));
                    response.setHeader(
                            "Content-Location",
                            base(request) + "/" + type + "/" + id + "/_history/" + stored.version());
                    return stored.json();
                })
                .orElse(null);
    }

    private String firstPage(
            HttpServletRequest request, ResultPages pages, @org.jspecify.annotations.Nullable Integer count) {
        int pageSize = store.pageSize(count);
        String id = pages.size() > pageSize ? store.store(pages) : null;
        return bundle(request, pages, id, 0, pageSize);
    }

    private @org.jspecify.annotations.Nullable String nextPage(
            HttpServletRequest request, Map<String, String[]> params) {
        // answer asks only when the parameter is there
        String storedId =
                java.util.Objects.requireNonNull(params.get("_getpages"), "a next page names its result set")[0];
        if (!(store.get(storedId) instanceof ResultPages pages)) {
            return null;
        }
        int offset = java.util.Objects.requireNonNullElse(integer(params.get("_getpagesoffset"), null), 0);
        int pageSize = store.pageSize(integer(params.get("_count"), null));
        if (pageSize <= 0) {
            return null;
        }
        return bundle(request, pages, storedId, Math.max(0, offset), pageSize);
    }

    private String bundle(
            HttpServletRequest request,
            ResultPages pages,
            @org.jspecify.annotations.Nullable String storedId,
            int offset,
            int pageSize) {
        String base = base(request);
        ResultPages.RawPage page = pages.rawPage(offset, (int) Math.min((long) offset + pageSize, Integer.MAX_VALUE));
        List<ResultPages.RawEntry> entries = page.entries();
        // A page cut by its size in bytes covers fewer matches than asked: the next one starts where it stopped.
        int next = offset + page.matches();
        StringBuilder json = new StringBuilder(256 + entries.size() * 1024);
        json.append("{\"resourceType\":\"Bundle\",\"id\":\"")
                .append(UUID.randomUUID())
                .append("\",\"meta\":{\"lastUpdated\":\"")
                .append(Instant.now(clock))
                .append("\"}")
                .append(",\"type\":\"searchset\",\"total\":")
                .append(pages.size())
                .append(",\"link\":[");
        link(json, "self", selfUrl(request), true);
        if (storedId == null && next < pages.size()) {
            storedId = store.store(pages);
        }
        if (storedId != null && next < pages.size()) {
            link(json, "next", pageUrl(base, storedId, next, pageSize), false);
        }
        if (storedId != null && offset > 0) {
            link(json, "previous", pageUrl(base, storedId, Math.max(0, offset - pageSize), pageSize), false);
        }
        json.append(']');
        if (!entries.isEmpty()) {
            json.append(",\"entry\":[");
            for (int i = 0; i < entries.size(); i++) {
                ResultPages.RawEntry entry = entries.get(i);
                RecordReads.StoredJson resource = entry.resource();
                json.append(i == 0 ? "" : ",").append("{\"fullUrl\":\"");
                escape(json, base + "/" + resource.type() + "/" + resource.id());
                json.append("\",\"resource\":")
                        .append(resource.json())
                        .append(",\"search\":{\"mode\":\"")
                        .append(entry.included() ? "include" : "match")
                        .append("\"}}");
            }
            json.append(']');
        }
        return json.append('}').toString();
    }

    private static void link(StringBuilder json, String relation, String url, boolean first) {
        json.append(first ? "" : ",")
                .append("{\"relation\":\"")
                .append(relation)
                .append("\",\"url\":\"");
        escape(json, url);
        json.append("\"}");
    }

    private static String pageUrl(String base, String id, int offset, int count) {
        return base + "?_getpages=" + id + "&_getpagesoffset=" + offset + "&_count=" + count + "&_bundletype=searchset";
    }

    private static String base(HttpServletRequest request) {
        String url = request.getRequestURL().toString();
        String servletPath = request.getContextPath() + request.getServletPath();
        int at = url.indexOf(servletPath, url.indexOf("//") + 2);
        return at < 0 ? url : url.substring(0, at + servletPath.length());
    }

    private static String selfUrl(HttpServletRequest request) {
        String query = request.getQueryString();
        return request.getRequestURL() + (query == null ? "" : "?" + query);
    }

    private static boolean wantsPlainJson(HttpServletRequest request) {
        Map<String, String[]> params = request.getParameterMap();
        if (params.containsKey("_pretty")
                || params.containsKey("_elements")
                || params.containsKey("_summary")
                || params.containsKey("_contained")
                || params.containsKey("_containedType")) {
            return false;
        }
        String[] format = params.get("_format");
        if (format != null) {
            return format.length == 1 && JSON_FORMATS.contains(format[0]);
        }
        String accept = request.getHeader("Accept");
        return accept == null
                || accept.isBlank()
                || accept.equals("*/*")
                || (accept.contains("json") && !accept.contains("xml") && !accept.contains("html"));
    }

    private static @org.jspecify.annotations.Nullable Integer integer(
            String @org.jspecify.annotations.Nullable [] values, @org.jspecify.annotations.Nullable Integer fallback) {
        if (values == null || values.length == 0) {
            return fallback;
        }
        try {
            return Integer.parseInt(values[0]);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static void escape(StringBuilder json, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
    }
}
