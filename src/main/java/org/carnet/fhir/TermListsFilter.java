package org.carnet.fhir;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.carnet.access.Caller;
import org.carnet.search.SearchSyntaxException;
import org.carnet.search.TermLists;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /fhir/term-lists}: the term lists a professional searches a record with (docs/search.md). {@code GET} the
 * lists one sees (shipped with Carnet, one's own, shared by others), {@code GET /<name>} one,
 * {@code PUT /<name>} with {@code {"terms": [...], "shared": false}} to save one's own, {@code DELETE /<name>}.
 * For professionals only; a list holds words, never a patient's data.
 */
final class TermListsFilter extends OncePerRequestFilter {

    private static final int MAX_BODY = 16 * 1024;

    private final TermLists lists;
    private final JsonMapper json;

    TermListsFilter(TermLists lists, JsonMapper json) {
        this.lists = lists;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getPathInfo();
        return path == null || !(path.equals("/term-lists") || path.startsWith("/term-lists/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!CurrentAccess.active()) {
            chain.doFilter(request, response);
            return;
        }
        if (CurrentAccess.caller().kind() != Caller.Kind.PROFESSIONAL) {
            FilterOutcomes.write(response, 403, IssueType.FORBIDDEN, "Term lists are for professionals");
            return;
        }
        String owner = CurrentAccess.caller().subject();
        String path = request.getPathInfo();
        String name = path.length() > "/term-lists/".length()
                ? URLDecoder.decode(path.substring("/term-lists/".length()), StandardCharsets.UTF_8)
                : null;
        try {
            switch (request.getMethod()) {
                case "GET" -> {
                    if (name == null) {
                        write(response, 200, lists.visibleTo(owner));
                    } else {
                        var list = lists.visibleTo(owner).stream()
                                .filter(l -> l.name().equals(name))
                                .findFirst();
                        if (list.isEmpty()) {
                            FilterOutcomes.write(response, 404, IssueType.NOTFOUND, "No term list named " + name);
                        } else {
                            write(response, 200, list.get());
                        }
                    }
                }
                case "PUT" -> {
                    if (name == null) {
                        FilterOutcomes.write(response, 405, IssueType.NOTSUPPORTED, "PUT /term-lists/<name>");
                        return;
                    }
                    JsonNode body = body(request);
                    JsonNode terms = body.get("terms");
                    if (terms == null || !terms.isArray()) {
                        throw new SearchSyntaxException("le corps attend {\"terms\": [\"…\"], \"shared\": false}");
                    }
                    List<String> values = new ArrayList<>();
                    for (JsonNode term : terms) {
                        if (!term.isString()) {
                            throw new SearchSyntaxException("chaque terme est une chaîne de caractères");
                        }
                        values.add(term.asString());
                    }
                    JsonNode shared = body.get("shared");
                    if (shared != null && !shared.isBoolean()) {
                        throw new SearchSyntaxException("shared vaut true ou false");
                    }
                    write(response, 200, lists.save(owner, name, values, shared != null && shared.asBoolean()));
                }
                case "DELETE" -> {
                    if (name == null || !lists.delete(owner, name)) {
                        FilterOutcomes.write(response, 404, IssueType.NOTFOUND, "You have no term list named " + name);
                    } else {
                        response.setStatus(204);
                    }
                }
                default ->
                    FilterOutcomes.write(response, 405, IssueType.NOTSUPPORTED, "Term lists take GET, PUT and DELETE");
            }
        } catch (SearchSyntaxException e) {
            FilterOutcomes.write(response, 400, IssueType.INVALID, e.getMessage());
        }
    }

    private JsonNode body(HttpServletRequest request) throws IOException {
        byte[] bytes = request.getInputStream().readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            throw new SearchSyntaxException("le corps dépasse " + MAX_BODY + " octets");
        }
        try {
            JsonNode node = json.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new SearchSyntaxException("le corps est un objet JSON");
            }
            return node;
        } catch (JacksonException e) {
            throw new SearchSyntaxException("le corps n'est pas du JSON valide");
        }
    }

    private void write(HttpServletResponse response, int status, Object value) throws IOException {
        FilterOutcomes.json(response, status, json.writeValueAsBytes(value));
    }
}
