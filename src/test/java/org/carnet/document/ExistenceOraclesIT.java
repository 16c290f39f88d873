package org.carnet.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.carnet.CarnetIT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A caller learns nothing about documents and resources they may not see from the answers to their writes: each
 * probe below is answered exactly as the same probe about something that does not exist (ADR 0012). Dr Lambert is
 * authorised on one record ({@code mine}); another record ({@code other}) and a masked document in his own record are
 * hidden from him.
 */
class ExistenceOraclesIT extends CarnetIT {

    private static final String LAMBERT = "810005820468";
    private static final String CONTENT = "Y29tcHRlIHJlbmR1IGRlIGNvbnN1bHRhdGlvbg=="; // "compte rendu de consultation"

    private String mine;
    private String other;

    @BeforeEach
    void records() {
        mine = created(patient("Oracle", unique())).getIdElement().getIdPart();
        other = created(patient("Oracle", unique())).getIdElement().getIdPart();
        accessRule(mine, "$authorise", LAMBERT);
    }

    @Test
    void aUniqueIdTakenInAnotherRecordIsNotACollisionForHim() throws Exception {
        String taken = "urn:oid:1.2.250.1.999." + System.nanoTime();
        assertThat(asSystem(document(other, taken, CONTENT, null)).statusCode()).isEqualTo(201);

        HttpResponse<String> probe = asLambert(document(mine, taken, CONTENT, null));
        HttpResponse<String> fresh =
                asLambert(document(mine, "urn:oid:1.2.250.1.999." + System.nanoTime(), CONTENT, null));
        assertThat(probe.statusCode())
                .as(probe.body())
                .isEqualTo(fresh.statusCode())
                .isEqualTo(201);
    }

    @Test
    void aMaskedDocumentOfHisRecordIsNeitherADuplicateNorACollision() throws Exception {
        String uniqueId = "urn:oid:1.2.250.1.998." + System.nanoTime();
        String another = uniqueId + ".2";
        HttpResponse<String> masked = asSystem(document(mine, uniqueId, CONTENT, "MASQUE_PS"));
        String maskedId = id(masked);
        id(asSystem(document(mine, another, CONTENT, "MASQUE_PS")));

        HttpResponse<String> sameContent = asLambert(document(mine, uniqueId, CONTENT, null));
        assertThat(sameContent.statusCode()).as(sameContent.body()).isEqualTo(201);
        assertThat(sameContent.body()).doesNotContain(maskedId).doesNotContain("duplicate");
        HttpResponse<String> otherContent = asLambert(document(mine, another, "b3RoZXI=", null));
        assertThat(otherContent.statusCode()).as(otherContent.body()).isEqualTo(201);
        // The system, who sees everything, still meets the collision.
        assertThat(asSystem(document(mine, another, "dGhpcmQ=", null)).statusCode())
                .isEqualTo(409);
    }

    @Test
    void aReplacementNamingAHiddenDocumentIsAnsweredAsOneNamingNothing() throws Exception {
        String uniqueId = "urn:oid:1.2.250.1.997." + System.nanoTime();
        String hidden = id(asSystem(document(other, uniqueId, CONTENT, null)));

        HttpResponse<String> byIdentifier = asLambert(replacement(mine, null, uniqueId));
        HttpResponse<String> byUnknownIdentifier = asLambert(replacement(mine, null, "urn:oid:1.2.250.1.997.0"));
        assertThat(byIdentifier.statusCode()).isEqualTo(byUnknownIdentifier.statusCode());
        assertThat(byIdentifier.body()).doesNotContain(hidden);

        String unknown = java.util.UUID.randomUUID().toString();
        HttpResponse<String> byReference = asLambert(replacement(mine, "DocumentReference/" + hidden, null));
        HttpResponse<String> byUnknownReference = asLambert(replacement(mine, "DocumentReference/" + unknown, null));
        assertThat(byReference.statusCode())
                .isEqualTo(byUnknownReference.statusCode())
                .isEqualTo(422);
        assertThat(byReference.body().replace(hidden, "X"))
                .isEqualTo(byUnknownReference.body().replace(unknown, "X"));
    }

    @Test
    void anUploadIsClaimedOrRefusedAlikeWhateverIsBehindIt() throws Exception {
        HttpResponse<String> upload = send(
                "POST",
                "/Binary",
                "application/pdf",
                "%PDF-1.4 other record",
                "X-Security-Context",
                "Patient/" + other);
        assertThat(upload.statusCode()).isEqualTo(201);
        String othersUpload = id(upload);
        String claimed = asSystem(document(mine, "urn:oid:1.2.250.1.996." + System.nanoTime(), CONTENT, "MASQUE_PS"))
                .body()
                .replaceAll("(?s).*\"url\"\\s*:\\s*\"Binary/([^\"]+)\".*", "$1");
        String unknown = java.util.UUID.randomUUID().toString();

        String[] answers = new String[3];
        String[] binaries = {othersUpload, claimed, unknown};
        for (int i = 0; i < binaries.length; i++) {
            HttpResponse<String> probe = asLambert(document(mine, null, null, null)
                    .replace("\"data\":\"null\"", "\"url\":\"Binary/" + binaries[i] + "\""));
            assertThat(probe.statusCode()).as(probe.body()).isEqualTo(422);
            answers[i] = probe.body().replace(binaries[i], "X");
        }
        assertThat(answers[0]).isEqualTo(answers[1]).isEqualTo(answers[2]);
    }

    @Test
    void aDeletionIsNotHeldBackByAReferrerHeCannotSee() throws Exception {
        String visibleObservation =
                id(sendAs("dr-lambert", "POST", "/Observation", "application/fhir+json", observation(mine)));
        String hiddenReferrer = document(mine, null, CONTENT, "MASQUE_PS")
                .replace(
                        "\"status\":\"current\"",
                        "\"status\":\"current\",\"context\":{\"related\":[{\"reference\":" + "\"Observation/"
                                + visibleObservation + "\"}]}");
        assertThat(asSystem(hiddenReferrer).statusCode()).isEqualTo(201);
        HttpResponse<String> delete = sendAs("dr-lambert", "DELETE", "/Observation/" + visibleObservation, null, null);
        assertThat(delete.statusCode()).as(delete.body()).isIn(200, 204);

        String referenced =
                id(sendAs("dr-lambert", "POST", "/Observation", "application/fhir+json", observation(mine)));
        String visibleReferrer = document(mine, null, CONTENT, null)
                .replace(
                        "\"status\":\"current\"",
                        "\"status\":\"current\",\"context\":{\"related\":[{\"reference\":" + "\"Observation/"
                                + referenced + "\"}]}");
        assertThat(asSystem(visibleReferrer).statusCode()).isEqualTo(201);
        assertThat(sendAs("dr-lambert", "DELETE", "/Observation/" + referenced, null, null)
                        .statusCode())
                .isEqualTo(409);
    }

    /**
     * The state above (one unique id filed in two records, each hidden from the other's writer) seen by a trusted
     * system, as the connectors are: a replacement naming the unique id reaches the document of its own record, never
     * the other record's. Eight rounds, since the two documents' ids come in either order (the old look-up failed one
     * round in two).
     */
    @Test
    void aReplacementByUniqueIdReachesTheDocumentOfItsOwnRecordOnly() throws Exception {
        for (int round = 0; round < 8; round++) {
            String taken = "urn:oid:1.2.250.1.996." + System.nanoTime();
            String others = id(asSystem(document(other, taken, CONTENT, null)));
            String his = id(asLambert(document(mine, taken, CONTENT, null)));

            HttpResponse<String> replacement = asSystem(replacement(mine, null, taken));
            assertThat(replacement.statusCode()).as(replacement.body()).isEqualTo(201);
            assertThat(get("/DocumentReference/" + his).body())
                    .as("his document")
                    .contains("\"status\":\"superseded\"");
            assertThat(get("/DocumentReference/" + others).body())
                    .as("the other record's document")
                    .contains("\"status\":\"current\"");
        }
    }

    private static String document(String patient, String uniqueId, String data, String label) {
        return "{\"resourceType\":\"DocumentReference\",\"status\":\"current\""
                + (uniqueId == null
                        ? ""
                        : ",\"masterIdentifier\":{\"system\":\"urn:ietf:rfc:3986\",\"value\":\"" + uniqueId + "\"}")
                + (label == null
                        ? ""
                        : ",\"meta\":{\"security\":[{\"system\":\"" + DocumentIntake.VISIBILITY_SYSTEM
                                + "\",\"code\":\"" + label + "\"}]}")
                + ",\"subject\":{\"reference\":\"Patient/" + patient + "\"}"
                + ",\"type\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"11488-4\"}]}"
                + ",\"content\":[{\"attachment\":{\"contentType\":\"text/plain\",\"data\":\"" + data + "\"}}]}";
    }

    private static String replacement(String patient, String reference, String uniqueId) {
        String target = reference != null
                ? "{\"reference\":\"" + reference + "\"}"
                : "{\"identifier\":{\"value\":\"" + uniqueId + "\"}}";
        return document(patient, null, CONTENT, null)
                .replace(
                        "\"status\":\"current\"",
                        "\"status\":\"current\",\"relatesTo\":[{\"code\":\"replaces\",\"target\":" + target + "}]");
    }

    private static String observation(String patient) {
        return "{\"resourceType\":\"Observation\",\"status\":\"final\",\"subject\":{\"reference\":\"Patient/" + patient
                + "\"},\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"29463-7\"}]}}";
    }

    private HttpResponse<String> asLambert(String json) throws Exception {
        return sendAs("dr-lambert", "POST", "/DocumentReference", "application/fhir+json", json);
    }

    private HttpResponse<String> asSystem(String json) throws Exception {
        return send("POST", "/DocumentReference", "application/fhir+json", json);
    }

    private static String id(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return response.body().replaceAll("(?s)^\\{\"resourceType\":\"[A-Za-z]+\",\"id\":\"([^\"]+)\".*", "$1");
    }
}
