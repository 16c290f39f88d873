package org.carnet.fhir;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.carnet.record.QueryStrings;
import org.carnet.record.RecordReads;
import org.springframework.stereotype.Component;

/** Runs FHIR searches for the API: parameters in, a pageable result out. */
@Component
class Searches {

    /** The types {@code _content} and {@code _text} search, through the search module. */
    static final java.util.Set<String> TEXT_TYPES = org.carnet.search.RecordSearch.SEARCHED_TYPES;

    private final RecordReads vault;
    private final QueryStrings queryStrings;
    private final org.carnet.search.RecordSearch text;
    private final long maxPageBytes;

    Searches(
            RecordReads vault,
            QueryStrings queryStrings,
            org.carnet.search.RecordSearch text,
            FhirProperties properties) {
        this.vault = vault;
        this.queryStrings = queryStrings;
        this.text = text;
        this.maxPageBytes = properties.maxPageBytes();
    }

    ResultPages search(String type, RequestDetails request) {
        return search(type, request.getParameters(), isStrict(request.getHeader("Prefer")));
    }

    ResultPages search(String type, Map<String, String[]> raw, boolean strict) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        raw.forEach((name, values) -> params.put(name, Arrays.asList(values)));
        resolvePatientIdentifier(params);
        resolveText(type, params);
        QueryStrings.Parsed parsed = queryStrings.parse(type, params, strict);
        Includes includes = Includes.parse(type, raw, vault);
        List<Long> pks = vault.search(parsed.query(), CurrentAccess.visibility());
        return new ResultPages(vault, type, pks, includes, count(raw), maxPageBytes);
    }

    /**
     * {@code patient.identifier=system|value} (IHE MHD ITI-67, the patient by INS), the one chain Carnet resolves:
     * it becomes {@code patient=<ids>} of the Patients with that identifier <em>that the caller may see</em>, so the
     * chain reveals nothing a direct search would not. Other chains stay refused.
     */
    private void resolvePatientIdentifier(Map<String, List<String>> params) {
        for (String name : List.of("patient.identifier", "subject.identifier", "subject:Patient.identifier")) {
            List<String> values = params.remove(name);
            if (values == null) {
                continue;
            }
            if (values.size() != 1) {
                throw new ca.uhn.fhir.rest.server.exceptions.InvalidRequestException(
                        name + " is given once (values separated by commas)");
            }
            List<Long> pks = vault.search(
                    queryStrings
                            .parse("Patient", Map.of("identifier", values), true)
                            .query(),
                    CurrentAccess.visibility());
            List<String> ids = vault.load(pks, CurrentAccess.visibility()).stream()
                    .map(p -> p.getIdElement().getIdPart())
                    .toList();
            String target = name.startsWith("patient") ? "patient" : "subject";
            params.computeIfAbsent(target, k -> new java.util.ArrayList<>());
            params.put(
                    target,
                    java.util.stream.Stream.concat(
                                    params.get(target).stream(),
                                    java.util.stream.Stream.of(
                                            ids.isEmpty() ? "Patient/0-no-match" : String.join(",", ids)))
                            .toList());
        }
    }

    /**
     * {@code _content} / {@code _text}: the words go to the search module (the same engine, analysis and access
     * decision as {@code $search}, every context counted as FHIR defines these parameters), whose matching ids become
     * an {@code _id} criterion. One record at a time: the search needs {@code patient} (or {@code subject}).
     */
    private void resolveText(String type, Map<String, List<String>> params) {
        List<String> words = new java.util.ArrayList<>();
        for (String name : List.of("_content", "_text")) {
            List<String> values = params.remove(name);
            if (values != null) {
                if (!TEXT_TYPES.contains(type)) {
                    throw new ca.uhn.fhir.rest.server.exceptions.InvalidRequestException(
                            name + " is supported on DocumentReference, Composition, DiagnosticReport and Observation");
                }
                words.addAll(values);
            }
        }
        if (words.isEmpty()) {
            return;
        }
        List<String> patients = new java.util.ArrayList<>();
        for (String name : List.of("patient", "subject")) {
            params.getOrDefault(name, List.of()).forEach(patients::add);
        }
        if (patients.size() != 1 || patients.getFirst().contains(",")) {
            throw new ca.uhn.fhir.rest.server.exceptions.InvalidRequestException(
                    "_content and _text search one patient's record: add patient=<id> (one patient)");
        }
        String patient = patients.getFirst().startsWith("Patient/")
                ? patients.getFirst().substring("Patient/".length())
                : patients.getFirst();
        List<String> ids;
        try {
            ids = text.matchingIds(patient, type, String.join(" ", words), CurrentAccess.visibility());
        } catch (org.carnet.search.SearchSyntaxException e) {
            throw new ca.uhn.fhir.rest.server.exceptions.InvalidRequestException("_content: " + e.getMessage());
        }
        params.computeIfAbsent("_id", k -> new java.util.ArrayList<>());
        params.put(
                "_id",
                java.util.stream.Stream.concat(
                                params.get("_id").stream(),
                                java.util.stream.Stream.of(ids.isEmpty() ? "0-no-match" : String.join(",", ids)))
                        .toList());
    }

    static boolean isStrict(String prefer) {
        return prefer != null && prefer.replace(" ", "").contains("handling=strict");
    }

    static @org.jspecify.annotations.Nullable Integer count(Map<String, String[]> params) {
        String[] values = params.get("_count");
        if (values == null || values.length == 0) {
            return null;
        }
        try {
            int count = Integer.parseInt(values[0]);
            if (count < 0) {
                throw new NumberFormatException();
            }
            return count;
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("_count must be a non-negative integer, not '" + values[0] + "'");
        }
    }
}
