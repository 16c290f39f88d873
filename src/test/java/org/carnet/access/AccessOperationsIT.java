package org.carnet.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.carnet.CarnetIT;
import org.junit.jupiter.api.Test;

/**
 * Who may call each operation on whose record, before and after the holder blocks the médecin traitant, after the
 * block is lifted, after the designation moves to another physician, and after a merge brings a block with it. The
 * expected answers are checked in at {@code src/test/resources/access/operations-table.csv}; the observed table is
 * printed (it is the closing note's matrix of operations).
 *
 * <p>Each phase works on records of its own, set up by the trusted system: Dr Moreau médecin traitant, the nurse in
 * the care team, one consultation report. "Blocked is refused, always": a blocked professional has no more power over
 * the record than a stranger.
 */
class AccessOperationsIT extends CarnetIT {

    private static final String MOREAU = AccessScenario.MOREAU;
    private static final String LAMBERT = AccessScenario.LAMBERT;
    private static final String DENTIST = AccessScenario.DENTIST;
    private static final List<String> CALLERS =
            List.of("dr-moreau", "dr-lambert", "infirmier", "operateur", "identitovigilance", SYSTEM);
    private static final List<String> PHASES = List.of("designated", "blocked", "unblocked", "moved", "merged");

    /** An operation: its name, its HTTP method, on the Patient or on the document, and its body. */
    private record Op(String name, String method, boolean onDocument, String body) {}

    private static final List<Op> OPERATIONS = List.of(
            post("$designate-traitant", "practitioner", DENTIST),
            post("$add-care-team", "practitioner", DENTIST),
            post("$authorise", "practitioner", DENTIST),
            post("$revoke", "practitioner", DENTIST),
            post("$object", "practitioner", DENTIST),
            post("$withdraw-objection", "practitioner", DENTIST),
            post("$block", "practitioner", DENTIST),
            post("$unblock", "practitioner", DENTIST),
            new Op("$refuse-mode", "POST", false, parameters("mode", "valueCode", "centre-15")),
            new Op("$allow-mode", "POST", false, parameters("mode", "valueCode", "centre-15")),
            new Op("$access-rules", "GET", false, null),
            new Op("$trail", "GET", false, null),
            new Op("$verify-trail", "GET", false, null),
            new Op("$notifications", "GET", false, null),
            new Op("$documents", "GET", false, null),
            new Op("$everything", "GET", false, null),
            new Op("$mask", "POST", true, parameters(null, null, null)),
            new Op("$unmask", "POST", true, parameters(null, null, null)));

    @Test
    void everyOperationAnswersEachCallerAsTheTableSays() throws Exception {
        Map<String, String> expected = expected();
        List<String> observed = new ArrayList<>();
        List<String> mismatches = new ArrayList<>();
        for (String phase : PHASES) {
            Record record = setUp(phase);
            Map<String, String[]> rows = new LinkedHashMap<>();
            // The trusted system acts last: its changes (a new médecin traitant, a block) must not alter what the
            // others were answered.
            for (int c = 0; c < CALLERS.size(); c++) {
                for (Op op : OPERATIONS) {
                    String path = (op.onDocument()
                                    ? "/DocumentReference/" + record.document()
                                    : "/Patient/" + record.patient())
                            + "/" + op.name();
                    HttpResponse<String> response = sendAs(
                            CALLERS.get(c),
                            op.method(),
                            path,
                            op.body() == null ? null : "application/fhir+json",
                            op.body());
                    rows.computeIfAbsent(op.name(), k -> new String[CALLERS.size()])[c] =
                            String.valueOf(response.statusCode());
                }
            }
            rows.forEach((op, statuses) -> {
                String line = phase + ";" + op + ";" + String.join(";", statuses);
                observed.add(line);
                String want = expected.get(phase + ";" + op);
                if (!line.equals(want)) {
                    mismatches.add("expected " + want + "\n      got " + line);
                }
            });
        }
        System.out.println("phase;operation;" + String.join(";", CALLERS));
        observed.forEach(System.out::println);
        assertThat(mismatches)
                .as("operations answered otherwise than the table says")
                .isEmpty();
        assertThat(observed).hasSize(PHASES.size() * OPERATIONS.size());
    }

    @Test
    void aBlockedTraitantIsToldNothingMoreAboutTheRecord() throws Exception {
        Record record = setUp("designated");
        emergencyRead(record.patient(), "Malaise sur la voie publique");
        assertThat(eventually(() -> notificationsOf("dr-moreau"), n -> n.contains(record.patient())))
                .as("the médecin traitant hears of an emergency access")
                .contains(record.patient());
        accessRule(record.patient(), "$block", MOREAU);
        assertThat(notificationsOf("dr-moreau"))
                .as("nothing of a record whose holder blocked him, not even before")
                .doesNotContain(record.patient());
        emergencyRead(record.patient(), "Chute dans l'escalier");
        accessRule(record.patient(), "$unblock", MOREAU);
        String after = notificationsOf("dr-moreau");
        assertThat(after.split(record.patient(), -1))
                .as("the notification of the access before the block, again; "
                        + "none of the access made while he was blocked")
                .hasSize(2);
        assertThat(after).doesNotContain("Chute");
    }

    /** The records of one phase. */
    private record Record(String patient, String document) {}

    private Record setUp(String phase) throws Exception {
        practitioner(MOREAU, "Moreau");
        String patient = newRecord(phase);
        accessRule(patient, "$designate-traitant", MOREAU);
        accessRule(patient, "$add-care-team", AccessScenario.NURSE);
        String document = sendAs(SYSTEM, "POST", "/DocumentReference", "application/fhir+json", """
                {"resourceType":"DocumentReference","status":"current","subject":{"reference":"Patient/%s"},
                 "type":{"coding":[{"system":"http://loinc.org","code":"11488-4"}]},
                 "content":[{"attachment":{"contentType":"text/plain","data":"Y29tcHRlIHJlbmR1"}}]}""".formatted(patient))
                .headers()
                .firstValue("Location")
                .map(l -> l.replaceAll(".*/DocumentReference/([^/]+).*", "$1"))
                .orElseThrow();
        switch (phase) {
            case "blocked" -> accessRule(patient, "$block", MOREAU);
            case "unblocked" -> {
                accessRule(patient, "$block", MOREAU);
                accessRule(patient, "$unblock", MOREAU);
            }
            case "moved" -> accessRule(patient, "$designate-traitant", LAMBERT);
            case "merged" -> {
                String merged = newRecord("merged-away");
                accessRule(merged, "$block", MOREAU);
                HttpResponse<String> merge =
                        sendAs("identitovigilance", "POST", "/Patient/$merge", "application/fhir+json", """
                        {"resourceType":"Parameters","parameter":[
                          {"name":"survivor","valueReference":{"reference":"Patient/%s"}},
                          {"name":"merged","valueReference":{"reference":"Patient/%s"}}]}""".formatted(
                                        patient, merged));
                assertThat(merge.statusCode()).as(merge.body()).isEqualTo(200);
            }
            default -> {}
        }
        return new Record(patient, document);
    }

    private String newRecord(String phase) {
        var p = patient("Operations", unique());
        p.getNameFirstRep().getGiven().clear();
        p.getNameFirstRep().addGiven(phase + unique().substring(0, 8));
        return created(p).getIdElement().getIdPart();
    }

    private void emergencyRead(String patient, String reason) throws Exception {
        assertThat(getAs(
                                "urgentiste",
                                "/Patient/" + patient,
                                "Carnet-Access-Mode",
                                "bris-de-glace",
                                "Carnet-Access-Patient",
                                patient,
                                "Carnet-Access-Reason",
                                reason)
                        .statusCode())
                .isEqualTo(200);
    }

    private String notificationsOf(String identity) throws Exception {
        HttpResponse<String> response = getAs(identity, "/$notifications");
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static Op post(String name, String parameter, String idNat) {
        return new Op(name, "POST", false, parameters(parameter, "valueString", idNat));
    }

    private static String parameters(String name, String kind, String value) {
        return name == null
                ? "{\"resourceType\":\"Parameters\"}"
                : "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"" + name + "\",\"" + kind + "\":\""
                        + value + "\"}]}";
    }

    private static Map<String, String> expected() throws IOException {
        Map<String, String> rows = new LinkedHashMap<>();
        try (InputStream in = AccessOperationsIT.class.getResourceAsStream("/access/operations-table.csv")) {
            if (in == null) {
                return rows;
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#") && !line.startsWith("phase;")) {
                    String[] cells = line.split(";");
                    rows.put(cells[0] + ";" + cells[1], line.strip());
                }
            }
        }
        return rows;
    }
}
