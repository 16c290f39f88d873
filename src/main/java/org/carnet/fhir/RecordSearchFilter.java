package org.carnet.fhir;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.carnet.audit.AuditRecord;
import org.carnet.document.DocumentViewsSeen;
import org.carnet.record.RecordReads;
import org.carnet.record.References;
import org.carnet.search.RecordSearch;
import org.carnet.search.SearchRequest;
import org.carnet.search.SearchResults;
import org.carnet.search.SearchSyntaxException;
import org.carnet.search.TermLists;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Parameters;
import org.jspecify.annotations.Nullable;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code Patient/<id>/$search}: search in one patient's record (docs/search.md). {@code GET} with query parameters,
 * or {@code POST} with a FHIR {@code Parameters} body of the same names. The answer is a JSON document (hits with
 * snippets, facets, timelines, duplicates, derived signals), not a FHIR resource: nothing in FHIR R4 carries it.
 * The search runs under the caller's access decision (compiled into the index query), and each entry it shows is
 * recorded as disclosed in the request's audit entry; the words searched are not written in the trail.
 */
final class RecordSearchFilter extends OncePerRequestFilter {

    private static final ZoneId FRANCE = ZoneId.of("Europe/Paris");
    private static final int MAX_BODY = 64 * 1024;

    private final RecordSearch search;
    private final TermLists lists;
    private final RecordReads vault;
    private final DocumentViewsSeen seen;
    private final Audits audits;
    private final JsonMapper json;

    RecordSearchFilter(
            RecordSearch search,
            TermLists lists,
            RecordReads vault,
            DocumentViewsSeen seen,
            Audits audits,
            JsonMapper json) {
        this.search = search;
        this.lists = lists;
        this.vault = vault;
        this.seen = seen;
        this.audits = audits;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getPathInfo();
        return path == null || !path.startsWith("/Patient/") || !path.endsWith("/$search");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!CurrentAccess.active()) {
            chain.doFilter(request, response); // not signed in: Spring Security has answered 401 already
            return;
        }
        String[] parts = request.getPathInfo().substring(1).split("/");
        if (parts.length != 3 || !References.isValidId(parts[1])) {
            FilterOutcomes.write(response, 404, IssueType.NOTFOUND, "Unknown path " + request.getPathInfo());
            return;
        }
        String patient = parts[1];
        String method = request.getMethod();
        if (!"GET".equals(method) && !"POST".equals(method)) {
            FilterOutcomes.write(response, 405, IssueType.NOTSUPPORTED, "$search accepte GET et POST");
            return;
        }
        Map<String, List<String>> params;
        try {
            params = "GET".equals(method) ? fromQuery(request) : fromBody(request);
        } catch (SearchSyntaxException e) {
            FilterOutcomes.write(response, 400, IssueType.INVALID, e.getMessage());
            return;
        }
        if (vault.readJson("Patient", patient, CurrentAccess.visibility()).isEmpty()) {
            FilterOutcomes.write(response, 404, IssueType.NOTFOUND, "Patient/" + patient + " is not known");
            return;
        }
        SearchResults results;
        try {
            SearchRequest asked = request(params, patient);
            String list = one(params, "liste");
            if (list != null) {
                List<String> terms = lists.terms(list, CurrentAccess.caller().subject())
                        .orElseThrow(() -> new SearchSyntaxException("liste de termes inconnue : « " + list + " »"));
                results = search.searchTerms(patient, terms, asked, CurrentAccess.visibility());
            } else {
                results = search.search(patient, asked, CurrentAccess.visibility());
            }
        } catch (SearchSyntaxException e) {
            FilterOutcomes.write(response, 400, IssueType.INVALID, e.getMessage());
            return;
        } catch (RecordSearch.IndexNotReadyException e) {
            response.setHeader("Retry-After", "5");
            FilterOutcomes.write(response, 503, IssueType.TRANSIENT, e.getMessage());
            return;
        }
        for (SearchResults.Hit hit : results.hits()) {
            disclose(hit.reference(), patient);
            hit.copies().forEach(copy -> disclose(copy, patient));
        }
        for (SearchResults.Signal signal : results.signals()) {
            signal.values().forEach(v -> disclose(v.reference(), patient));
        }
        audits.recordBeforeAnswer(request);
        response.setHeader("Cache-Control", "no-store");
        FilterOutcomes.json(response, 200, json.writeValueAsBytes(results));
    }

    private static void disclose(String reference, String patient) {
        int slash = reference.indexOf('/');
        CurrentAccess.disclose(reference.substring(0, slash), reference.substring(slash + 1), patient);
    }

    private SearchRequest request(Map<String, List<String>> params, String patient) {
        for (String name : params.keySet()) {
            if (!List.of(
                            "q",
                            "liste",
                            "contextes",
                            "depuis",
                            "jusqua",
                            "type",
                            "profession",
                            "lieu",
                            "count",
                            "doublons")
                    .contains(name)) {
                throw new SearchSyntaxException("paramètre inconnu : " + name);
            }
        }
        String q = one(params, "q");
        if (one(params, "liste") == null && (q == null || q.isBlank())) {
            throw new SearchSyntaxException("q (les mots cherchés) ou liste (une liste de termes) est requis");
        }
        String contexts = one(params, "contextes");
        if (contexts != null && !contexts.equals("tous") && !contexts.equals("affirmes")) {
            throw new SearchSyntaxException("contextes vaut affirmes (par défaut) ou tous, pas « " + contexts + " »");
        }
        String doublons = one(params, "doublons");
        if (doublons != null && !doublons.equals("regroupes") && !doublons.equals("tous")) {
            throw new SearchSyntaxException("doublons vaut regroupes (par défaut) ou tous, pas « " + doublons + " »");
        }
        int count = 20;
        String c = one(params, "count");
        if (c != null) {
            try {
                count = Integer.parseInt(c.strip());
            } catch (NumberFormatException e) {
                throw new SearchSyntaxException("count est un nombre entier, pas « " + c + " »");
            }
        }
        return new SearchRequest(
                q == null ? "" : q,
                "tous".equals(contexts),
                since(one(params, "depuis"), patient),
                day(one(params, "jusqua"), "jusqua"),
                params.getOrDefault("type", List.of()),
                params.getOrDefault("profession", List.of()),
                params.getOrDefault("lieu", List.of()),
                count,
                !"tous".equals(doublons));
    }

    /** A day, or {@code derniere-visite}: the day this caller last opened the record's documents. */
    private @Nullable LocalDate since(@Nullable String value, String patient) {
        if ("derniere-visite".equals(value)) {
            return seen.last(
                            patient,
                            AuditRecord.Actor.of(CurrentAccess.caller()).key())
                    .map(at -> at.atZone(FRANCE).toLocalDate())
                    .orElse(null);
        }
        return day(value, "depuis");
    }

    private static @Nullable LocalDate day(@Nullable String value, String name) {
        if (value == null) {
            return null;
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new SearchSyntaxException(name + " est une date AAAA-MM-JJ"
                    + (name.equals("depuis") ? " ou derniere-visite" : "") + ", pas « " + value + " »");
        }
    }

    private static @Nullable String one(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new SearchSyntaxException("le paramètre " + name + " ne peut être donné qu'une fois");
        }
        return values.getFirst();
    }

    private static Map<String, List<String>> fromQuery(HttpServletRequest request) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        request.getParameterMap().forEach((name, values) -> params.put(name, List.of(values)));
        return params;
    }

    private Map<String, List<String>> fromBody(HttpServletRequest request) throws IOException {
        byte[] bytes = request.getInputStream().readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            throw new SearchSyntaxException("le corps de la requête dépasse " + MAX_BODY + " octets");
        }
        Parameters parameters;
        try {
            parameters = vault.fhirContext()
                    .newJsonParser()
                    .parseResource(Parameters.class, new String(bytes, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new SearchSyntaxException("le corps doit être une ressource FHIR Parameters en JSON");
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (Parameters.ParametersParameterComponent p : parameters.getParameter()) {
            if (p.getValue() == null || !p.getValue().isPrimitive()) {
                throw new SearchSyntaxException(
                        "le paramètre " + p.getName() + " attend une valeur simple (valueString…)");
            }
            params.computeIfAbsent(p.getName(), k -> new ArrayList<>())
                    .add(p.getValue().primitiveValue());
        }
        return params;
    }
}
