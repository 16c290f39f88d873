package org.carnet.ingestion.cda;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * What a CDA R2 document (CI-SIS header) says about itself, in the terms the shared record files it under: the
 * XDS metadata of its header, the patient's identifiers and traits, and its text for search.
 *
 * <p>A document always has a {@link #uniqueId}, at least one patient identifier, a {@link #type} and a
 * {@link #created} time; anything else the header leaves out is null (or an empty list). Ids are in the uniqueId
 * form {@code root^extension} (the root alone without extension). Times without an offset are read in
 * Europe/Paris, date-only ones at the start of that day.
 *
 * @param birthFamily the family name qualified {@code BR} (birth name) if any, else the first family name
 * @param givens the patient's given names except those qualified {@code CL} (name in use), as written, duplicates
 *     dropped; the names in use only when there is nothing else
 * @param birthDate null when absent or when the sender gave less than a day (a year alone)
 * @param sex {@code administrativeGenderCode/@code} ({@code F}, {@code M}, {@code U})
 * @param custodian the organisation that keeps the document ({@code custodian}), null when the header has none
 * @param serviceStart the first {@code documentationOf/serviceEvent}'s start
 * @param replaces the uniqueId of the document this one replaces ({@code relatedDocument[@typeCode='RPLC']})
 * @param narrative the human-readable text of a structured body (section titles and texts, one line each,
 *     whitespace collapsed, at most {@value #NARRATIVE_CAP} characters); empty for a non-XML body
 * @param embedded the decoded content of a non-XML body sent in base64 (typically a PDF), else null; the array is
 *     this document's own, not a copy: do not modify it
 */
public record CdaDocument(
        String uniqueId,
        @org.jspecify.annotations.Nullable String setId,
        @org.jspecify.annotations.Nullable Integer version,
        List<Id> patientIds,
        @org.jspecify.annotations.Nullable String birthFamily,
        List<String> givens,
        @org.jspecify.annotations.Nullable LocalDate birthDate,
        @org.jspecify.annotations.Nullable String sex,
        Coding type,
        @org.jspecify.annotations.Nullable String title,
        Instant created,
        @org.jspecify.annotations.Nullable String language,
        @org.jspecify.annotations.Nullable Coding confidentiality,
        List<Author> authors,
        @org.jspecify.annotations.Nullable Author legalAuthenticator,
        @org.jspecify.annotations.Nullable Organisation custodian,
        @org.jspecify.annotations.Nullable Instant serviceStart,
        @org.jspecify.annotations.Nullable Instant serviceEnd,
        List<Coding> eventCodes,
        @org.jspecify.annotations.Nullable Coding facilityType,
        @org.jspecify.annotations.Nullable Coding practiceSetting,
        List<String> templateIds,
        @org.jspecify.annotations.Nullable String replaces,
        String narrative,
        byte @org.jspecify.annotations.Nullable [] embedded,
        @org.jspecify.annotations.Nullable String embeddedMediaType) {

    /** The most narrative text kept for search; the rest of a longer body is left out. */
    public static final int NARRATIVE_CAP = 1_000_000;

    public CdaDocument {
        Objects.requireNonNull(uniqueId, "uniqueId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(narrative, "narrative");
        patientIds = List.copyOf(patientIds);
        if (patientIds.isEmpty()) {
            throw new IllegalArgumentException("a CDA document needs at least one patient identifier");
        }
        if (narrative.length() > NARRATIVE_CAP) {
            throw new IllegalArgumentException("narrative longer than " + NARRATIVE_CAP + " characters");
        }
        givens = List.copyOf(givens);
        authors = List.copyOf(authors);
        eventCodes = List.copyOf(eventCodes);
        templateIds = List.copyOf(templateIds);
    }

    /**
     * Names the document, never the patient: a document logged by mistake must not put an INS, a name or clinical
     * text into the logs.
     */
    @Override
    public String toString() {
        return "CdaDocument[uniqueId=" + uniqueId + ", type=" + type.code() + ", created=" + created
                + ", narrative=" + narrative.length() + " chars, embedded="
                + (embedded == null ? "none" : embedded.length + " bytes " + embeddedMediaType) + "]";
    }
}
