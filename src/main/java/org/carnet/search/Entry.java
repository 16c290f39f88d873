package org.carnet.search;

import java.util.List;

/**
 * One searchable entry of a patient's record: a document's text, or one structured fact (a condition, a drug, a
 * result…) rendered as a short French line with its codes. What the index holds, whatever engine holds it.
 *
 * @param key {@code Type/id} of the resource
 * @param accessTags what the access decision tests (the store's {@code access_tags})
 * @param kind the entry's type for facets and priors: the document type's label, or the resource type's French name
 * @param date epoch milliseconds of the clinical date, or {@link Long#MIN_VALUE} when none
 * @param status the document's status ({@code current}, {@code superseded}, {@code entered-in-error}) or the fact's
 * @param factContext the context a structured fact states of itself (a refuted condition is negated, a family
 *     history is about someone else), null for text, whose contexts are detected
 * @param measure a measured value (an Observation with a number), null otherwise
 */
record Entry(
        String key,
        String patientId,
        String type,
        List<String> accessTags,
        String title,
        String uniqueId,
        String kind,
        long date,
        String author,
        String profession,
        String facility,
        String status,
        String text,
        @org.jspecify.annotations.Nullable MentionContext factContext,
        @org.jspecify.annotations.Nullable Measure measure) {

    Entry {
        accessTags = List.copyOf(accessTags);
    }

    /**
     * A number measured: its code (LOINC when coded so), value and unit.
     */
    record Measure(String code, double value, String unit) {}
}
