package org.carnet.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.junit.jupiter.api.Test;

/**
 * Every demo identity against every seeded resource, through every way of reading it, compared with the decision
 * table checked in at {@code src/test/resources/access/decision-table.csv}; then the writes.
 */
class AccessMatrixIT extends AccessScenarioIT {

    @Test
    void everyIdentitySeesExactlyWhatTheDecisionTableSays() throws Exception {
        List<String> lines = table();
        String[] columns = lines.get(0).split(";");
        List<String> mismatches = new ArrayList<>();
        int checks = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(";");
            String identity = cells[0];
            String[] headers = headers(cells[1]);
            if ("refused".equals(cells[2])) {
                String patient = cells[1].split(":")[1];
                HttpResponse<String> refused = getAs(identity, "/" + scenario.ref(patient), headers);
                checks++;
                if (refused.statusCode() != 403) {
                    mismatches.add(identity + " " + cells[1] + ": expected 403, got " + refused.statusCode());
                }
                continue;
            }
            for (int c = 2; c < columns.length; c++) {
                boolean expected = "Y".equals(cells[c]);
                String ref = scenario.ref(columns[c]);
                String patient = columns[c].endsWith("L") || columns[c].startsWith("docL") || columns[c].equals("immL")
                        ? scenario.ref("patL")
                        : scenario.ref("patJ");
                for (String way : List.of("read", "search", "count", "revinclude", "history", "everything")) {
                    checks++;
                    boolean seen = sees(identity, headers, way, ref, patient);
                    if (seen != expected) {
                        mismatches.add(identity + " " + cells[1] + " " + columns[c] + " by " + way + ": expected "
                                + (expected ? "visible" : "hidden") + ", was " + (seen ? "visible" : "hidden"));
                    }
                }
            }
        }
        assertThat(mismatches).as(checks + " checks").isEmpty();
        assertThat(checks).isGreaterThan(1000);
    }

    @Test
    void writesFollowTheSameDecision() throws Exception {
        String patJ = scenario.ref("patJ");
        assertThat(createObservation("infirmier", patJ)).isEqualTo(201);
        assertThat(createObservation("dr-moreau", patJ)).isEqualTo(201);
        assertThat(createObservation("pharmacienne", patJ))
                .as("visible record, type outside the matrix")
                .isEqualTo(403);
        assertThat(createObservation("dr-lambert", patJ))
                .as("blocked: the record does not exist for him")
                .isEqualTo(404);
        assertThat(createObservation("jeanne", patJ))
                .as("holders change their record through operations")
                .isEqualTo(403);
        assertThat(createObservation("identitovigilance", patJ)).isEqualTo(403);
        assertThat(createObservation("operateur", patJ)).isEqualTo(404);
        assertThat(createObservation("urgentiste", patJ)).isEqualTo(404);
        assertThat(createObservation("urgentiste", patJ, headers("bris-de-glace:patJ")))
                .isEqualTo(201);
        Organization organization = new Organization().setName("Cabinet");
        assertThat(sendAs(
                                "operateur",
                                "POST",
                                "/Organization",
                                "application/fhir+json",
                                FHIR.newJsonParser().encodeResourceToString(organization))
                        .statusCode())
                .as("the directory is the RPPS import's")
                .isEqualTo(403);
        assertThat(sendAs(
                                SYSTEM,
                                "POST",
                                "/Organization",
                                "application/fhir+json",
                                FHIR.newJsonParser().encodeResourceToString(organization))
                        .statusCode())
                .isEqualTo(201);
        assertThat(sendAs(
                                "dr-moreau",
                                "POST",
                                "/Organization",
                                "application/fhir+json",
                                FHIR.newJsonParser().encodeResourceToString(organization))
                        .statusCode())
                .isEqualTo(403);
    }

    @Test
    void identityWorkIsTheIdentityOfficers() throws Exception {
        assertThat(getAs("identitovigilance", "/Patient/$duplicates").statusCode())
                .isEqualTo(200);
        assertThat(getAs("dr-moreau", "/Patient/$duplicates").statusCode()).isEqualTo(403);
        assertThat(getAs("jeanne", "/Patient/$duplicates").statusCode()).isEqualTo(403);
        assertThat(getAs("operateur", "/Patient/$duplicates").statusCode()).isEqualTo(403);
    }

    @Test
    void aProfessionalCannotMakeARepresentativeNorChangeAnIdentityNorUnmask() throws Exception {
        RelatedPerson guardian = new RelatedPerson();
        guardian.setPatient(new Reference(scenario.ref("patJ")));
        guardian.addRelationship()
                .addCoding(new Coding("http://terminology.hl7.org/CodeSystem/v3-RoleCode", "GUARD", "guardian"));
        guardian.addName().setFamily("Garcia").addGiven("Sophie");
        guardian.setGender(Enumerations.AdministrativeGender.FEMALE).setBirthDateElement(new DateType("1988-06-21"));
        assertThat(sendAs(
                                "dentiste",
                                "POST",
                                "/RelatedPerson",
                                "application/fhir+json",
                                FHIR.newJsonParser().encodeResourceToString(guardian))
                        .statusCode())
                .isEqualTo(403);
        assertThat(getAs("sophie", "/" + scenario.ref("docJmasked")).statusCode())
                .isEqualTo(404);

        String patJ = scenario.id("patJ");
        assertThat(sendAs(
                                "dr-moreau",
                                "PATCH",
                                "/Patient/" + patJ,
                                "application/json-patch+json",
                                "[{\"op\":\"replace\",\"path\":\"/birthDate\",\"value\":\"1941-03-15\"}]")
                        .statusCode())
                .isEqualTo(403);
        assertThat(sendAs(
                                "dr-moreau",
                                "PATCH",
                                "/" + scenario.ref("docJmasked"),
                                "application/json-patch+json",
                                "[{\"op\":\"remove\",\"path\":\"/meta/security\"}]")
                        .statusCode())
                .isEqualTo(403);
        assertThat(getAs("urgentiste", "/" + scenario.ref("docJmasked"), headers("bris-de-glace:patJ"))
                        .statusCode())
                .as("still masked")
                .isEqualTo(404);
    }

    @Test
    void anEmergencyAccessNeedsItsReasonAndPatient() throws Exception {
        String patJ = scenario.id("patJ");
        assertThat(getAs(
                                "urgentiste",
                                "/Patient/" + patJ,
                                "Carnet-Access-Mode",
                                "bris-de-glace",
                                "Carnet-Access-Patient",
                                patJ)
                        .statusCode())
                .isEqualTo(400);
        assertThat(getAs(
                                "urgentiste",
                                "/Patient/" + patJ,
                                "Carnet-Access-Mode",
                                "bris-de-glace",
                                "Carnet-Access-Reason",
                                "inconsciente")
                        .statusCode())
                .isEqualTo(400);
        assertThat(getAs("urgentiste", "/Patient/" + patJ, "Carnet-Access-Mode", "urgence")
                        .statusCode())
                .isEqualTo(400);
        assertThat(getAs(
                                "jeanne",
                                "/Patient/" + patJ,
                                "Carnet-Access-Mode",
                                "bris-de-glace",
                                "Carnet-Access-Patient",
                                patJ,
                                "Carnet-Access-Reason",
                                "x")
                        .statusCode())
                .isEqualTo(403);
    }

    private int createObservation(String identity, String patient, String... headers) throws Exception {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL).setSubject(new Reference(patient));
        observation.setCode(new CodeableConcept(new Coding("http://loinc.org", "8867-4", "Heart rate")));
        return sendAs(
                        identity,
                        "POST",
                        "/Observation",
                        "application/fhir+json",
                        FHIR.newJsonParser().encodeResourceToString(observation),
                        headers)
                .statusCode();
    }

    private boolean sees(String identity, String[] headers, String way, String ref, String patient) throws Exception {
        String type = ref.split("/")[0];
        String id = ref.split("/")[1];
        return switch (way) {
            case "read" -> getAs(identity, "/" + ref, headers).statusCode() == 200;
            case "search" ->
                bundle(identity, "/" + type + "?_id=" + id, headers).getEntry().size() == 1;
            case "count" ->
                bundle(identity, "/" + type + "?_id=" + id + "&_summary=count", headers)
                                .getTotal()
                        == 1;
            case "revinclude" ->
                type.equals("Patient")
                        ? bundle(identity, "/Patient?_id=" + id, headers).getTotal() == 1
                        : ids(bundle(
                                        identity,
                                        "/Patient?_id=" + patient.split("/")[1] + "&_revinclude=" + type + ":*",
                                        headers))
                                .contains(ref);
            case "history" -> {
                HttpResponse<String> history = getAs(identity, "/" + ref + "/_history", headers);
                yield history.statusCode() == 200
                        && !FHIR.newJsonParser()
                                .parseResource(Bundle.class, history.body())
                                .getEntry()
                                .isEmpty();
            }
            case "everything" -> {
                HttpResponse<String> everything = getAs(identity, "/" + patient + "/$everything?_count=1000", headers);
                yield everything.statusCode() == 200
                        && ids(FHIR.newJsonParser().parseResource(Bundle.class, everything.body()))
                                .contains(ref);
            }
            default -> throw new IllegalArgumentException(way);
        };
    }

    private Bundle bundle(String identity, String path, String... headers) throws Exception {
        HttpResponse<String> response = getAs(identity, path, headers);
        assertThat(response.statusCode()).as(identity + " " + path).isEqualTo(200);
        return FHIR.newJsonParser().parseResource(Bundle.class, response.body());
    }

    private static Set<String> ids(Bundle bundle) {
        return bundle.getEntry().stream()
                .map(e -> e.getResource()
                        .getIdElement()
                        .toUnqualifiedVersionless()
                        .getValue())
                .collect(Collectors.toSet());
    }

    private String[] headers(String mode) {
        if ("normal".equals(mode)) {
            return new String[0];
        }
        String[] parts = mode.split(":");
        return new String[] {
            "Carnet-Access-Mode",
            parts[0],
            "Carnet-Access-Patient",
            scenario.id(parts[1]),
            "Carnet-Access-Reason",
            "Patiente inconsciente aux urgences"
        };
    }

    private static List<String> table() throws IOException {
        try (InputStream in = AccessMatrixIT.class.getResourceAsStream("/access/decision-table.csv")) {
            return Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .toList();
        }
    }
}
