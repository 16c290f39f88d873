package org.carnet.record;

import java.time.Instant;
import java.util.List;

/** The search-index rows of one resource version, and the patient whose compartment it belongs to. */
record IndexRows(
        @org.jspecify.annotations.Nullable String patientId,
        List<Token> tokens,
        List<Text> strings,
        List<DateRange> dates,
        List<Ref> refs) {

    /** A deletion: no rows, but the record it was filed under (the access check of a delete reads it). */
    static IndexRows deletion(String patientId) {
        return new IndexRows(patientId, List.of(), List.of(), List.of(), List.of());
    }

    /** What the access conditions test (see V4__access_tags.sql): labels, document types, authors. */
    String[] accessTags(String type) {
        java.util.TreeSet<String> tags = new java.util.TreeSet<>();
        for (Token token : tokens) {
            if (token.param().equals(SearchIndexer.SECURITY)) {
                tags.add("label:" + token.code());
            } else if (token.param().equals("type") && type.equals("DocumentReference")) {
                tags.add("doctype:" + token.code());
            }
        }
        for (Ref ref : refs) {
            if (ref.param().equals("author") && ref.targetType().equals("Practitioner")) {
                tags.add("author:" + ref.targetId());
            }
        }
        return tags.toArray(String[]::new);
    }

    record Token(
            String param, @org.jspecify.annotations.Nullable String system, String code) {}

    record Text(String param, String normalized, String exact) {}

    /** A period, {@code low} inclusive and {@code high} exclusive. */
    record DateRange(String param, Instant low, Instant high) {}

    record Ref(String param, String targetType, String targetId) {}
}
