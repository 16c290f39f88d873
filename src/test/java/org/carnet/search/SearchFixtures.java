package org.carnet.search;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.carnet.document.DocumentIntake;

/** FHIR JSON of the resources the search tests file: a plain-text document, a weight. */
final class SearchFixtures {

    private SearchFixtures() {}

    /**
     * A current DocumentReference of that LOINC type, dated at 10:00 on {@code date}, with {@code text} as its
     * content; {@code label} a visibility code (MASQUE_PS…) and {@code author} a Practitioner id, each or both null.
     */
    static String document(
            String patient,
            String loinc,
            String date,
            String text,
            @org.jspecify.annotations.Nullable String label,
            @org.jspecify.annotations.Nullable String author) {
        return "{\"resourceType\":\"DocumentReference\",\"status\":\"current\",\"date\":\"" + date
                + "T10:00:00+01:00\""
                + (label == null
                        ? ""
                        : ",\"meta\":{\"security\":[{\"system\":\"" + DocumentIntake.VISIBILITY_SYSTEM
                                + "\",\"code\":\"" + label + "\"}]}")
                + ",\"subject\":{\"reference\":\"Patient/" + patient + "\"}"
                + (author == null ? "" : ",\"author\":[{\"reference\":\"Practitioner/" + author + "\"}]")
                + ",\"type\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"" + loinc + "\"}]}"
                + ",\"content\":[{\"attachment\":{\"contentType\":\"text/plain\",\"data\":\""
                + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8))
                + "\"}}]}";
    }

    /** A body weight (LOINC 29463-7) in kg on {@code date}. */
    static String weight(String patient, String date, double kg) {
        return "{\"resourceType\":\"Observation\",\"status\":\"final\",\"subject\":{\"reference\":\"Patient/"
                + patient + "\"},\"effectiveDateTime\":\"" + date + "\",\"code\":{\"coding\":[{\"system\":"
                + "\"http://loinc.org\",\"code\":\"29463-7\",\"display\":\"Poids\"}]},\"valueQuantity\":{\"value\":"
                + kg + ",\"unit\":\"kg\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"kg\"}}";
    }

    /** The id of the resource a 201 answer carries. */
    static String id(String body) {
        return body.replaceAll("(?s)^\\{\"resourceType\":\"[A-Za-z]+\",\"id\":\"([^\"]+)\".*", "$1");
    }
}
