package org.carnet.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.carnet.CarnetIT;
import org.carnet.CarnetTestServer;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Every interaction leaves exactly its audit entries, in the right record's chain; the chain detects tampering; the
 * holder reads the trail in French; emergency and first accesses are notified. Each test works on its own patient.
 */
class AuditIT extends CarnetIT {

    private static final String MOREAU = DemoIdentities.TRAITANT_IDNAT;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aReadBySomeoneLeavesOneEntryTheHolderReadsInFrench() throws Exception {
        String patient = patientFollowedByMoreau();
        String observation = observation(patient);
        long before = entries(patient);

        assertThat(getAs("dr-moreau", "/Observation/" + observation).statusCode())
                .isEqualTo(200);

        assertThat(entries(patient)).isEqualTo(before + 1);
        AuditEvent event = last(patient);
        assertThat(event.getSubtypeFirstRep().getCode()).isEqualTo("read");
        assertThat(event.getAction()).isEqualTo(AuditEvent.AuditEventAction.R);
        assertThat(event.getAgentFirstRep().getWho().getIdentifier().getValue()).isEqualTo(MOREAU);
        assertThat(event.getEntity())
                .extracting(e -> e.getWhat().getReference())
                .contains("Patient/" + patient, "Observation/" + observation);
        assertThat(event.getPurposeOfEventFirstRep().getCodingFirstRep().getCode())
                .isEqualTo("normal");
        Parameters trail = parameters(send("GET", "/Patient/" + patient + "/$trail", null, null));
        assertThat(((StringType) trail.getParameterFirstRep().getPart().get(0).getValue()).getValue())
                .matches(
                        "Dr Philippe Moreau, médecin généraliste, a consulté 1 élément du dossier le \\d\\d/\\d\\d/\\d{4} à \\d\\d:\\d\\d");
    }

    @Test
    void everyWayOfReadingLeavesExactlyOneEntryNamingItsInteraction() throws Exception {
        String patient = patientFollowedByMoreau();
        String observation = observation(patient);
        String[][] ways = {
            {"/Observation/" + observation, "read"},
            {"/Observation/" + observation + "/_history/1", "vread"},
            {"/Observation/" + observation + "/_history", "history-instance"},
            {"/Observation?patient=" + patient, "search-type"},
            {"/Observation?patient=" + patient + "&_summary=count", "search-type"},
            {"/Patient?_id=" + patient + "&_revinclude=Observation:subject", "search-type"},
            {"/Patient/" + patient + "/$everything", "everything"},
        };
        for (String[] way : ways) {
            long before = entries(patient);
            HttpResponse<String> response = getAs("dr-moreau", way[0]);
            assertThat(response.statusCode()).as(way[0]).isEqualTo(200);
            assertThat(entries(patient)).as(way[0]).isEqualTo(before + 1);
            assertThat(last(patient).getSubtypeFirstRep().getCode()).as(way[0]).isEqualTo(way[1]);
        }
    }

    @Test
    void aSearchAcrossRecordsLeavesOneEntryPerRecord() throws Exception {
        String first = patientFollowedByMoreau();
        String second = patientFollowedByMoreau();
        String a = observation(first);
        String b = observation(second);
        long beforeFirst = entries(first);
        long beforeSecond = entries(second);

        assertThat(getAs("dr-moreau", "/Observation?_id=" + a + "," + b).statusCode())
                .isEqualTo(200);

        assertThat(entries(first)).isEqualTo(beforeFirst + 1);
        assertThat(entries(second)).isEqualTo(beforeSecond + 1);
        assertThat(last(first).getSubtypeFirstRep().getCode()).isEqualTo("search-type");
        assertThat(last(first).getEntity())
                .extracting(e -> e.getWhat().getReference())
                .contains("Observation/" + a)
                .doesNotContain("Observation/" + b);
    }

    @Test
    void writesAndRuleChangesAreAuditedWithTheirAction() throws Exception {
        String patient = patientFollowedByMoreau();
        long before = entries(patient);
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL).setSubject(new Reference("Patient/" + patient));
        observation.setCode(new CodeableConcept(new Coding("http://loinc.org", "8867-4", "Heart rate")));

        HttpResponse<String> created = sendAs(
                "dr-moreau",
                "POST",
                "/Observation",
                "application/fhir+json",
                FHIR.newJsonParser().encodeResourceToString(observation));
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(entries(patient)).isEqualTo(before + 1);
        assertThat(last(patient).getAction()).isEqualTo(AuditEvent.AuditEventAction.C);

        rule(patient, "$block", "practitioner", "810005820468");
        assertThat(entries(patient)).isEqualTo(before + 2);
        assertThat(last(patient).getAction()).isEqualTo(AuditEvent.AuditEventAction.U);
        assertThat(trailTexts(patient).get(0))
                .contains("a modifié les règles d'accès au dossier (blocage : 810005820468)");
    }

    @Test
    void anEmergencyAccessIsAuditedWithItsReasonAndNotifiedToHolderAndTraitant() throws Exception {
        String patient = patientFollowedByMoreau();
        long before = entries(patient);

        HttpResponse<String> read = getAs(
                "urgentiste",
                "/Patient/" + patient,
                "Carnet-Access-Mode",
                "bris-de-glace",
                "Carnet-Access-Patient",
                patient,
                "Carnet-Access-Reason",
                "Inconscient, accident de la route");

        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(entries(patient)).isEqualTo(before + 1);
        AuditEvent event = last(patient);
        assertThat(event.getPurposeOfEventFirstRep().getCoding())
                .extracting(Coding::getCode)
                .contains("bris-de-glace", "ETREAT");
        assertThat(event.getPurposeOfEventFirstRep().getText()).isEqualTo("Inconscient, accident de la route");
        assertThat(trailTexts(patient).get(0)).contains("bris de glace").contains("Inconscient, accident de la route");
        Parameters holder = eventually(
                () -> parameters(send("GET", "/Patient/" + patient + "/$notifications", null, null)),
                p -> p.hasParameter());
        assertThat(holder.getParameter())
                .anySatisfy(n -> assertThat(n.getPart())
                        .anySatisfy(
                                p -> assertThat(p.getValue().primitiveValue()).isEqualTo("emergency-access")));
        Parameters traitant = eventually(
                () -> parameters(getAs("dr-moreau", "/$notifications")),
                p -> p.getParameter().stream()
                        .anyMatch(n -> n.getPart().stream()
                                .anyMatch(part -> patient.equals(part.getValue().primitiveValue()))));
        assertThat(traitant.getParameter())
                .anySatisfy(n -> assertThat(n.getPart())
                        .anySatisfy(
                                p -> assertThat(p.getValue().primitiveValue()).isEqualTo(patient)));
    }

    @Test
    void aRefusedEmergencyAccessIsAuditedAsRefused() throws Exception {
        String patient = refusingCentre15();
        long before = entries(patient);

        HttpResponse<String> read = asCentre15("/Patient/" + patient, patient);

        assertThat(read.statusCode()).isEqualTo(403);
        assertThat(entries(patient)).isEqualTo(before + 1);
        assertThat(last(patient).getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
        assertThat(trailTexts(patient).get(0)).endsWith("(refusé)");
    }

    @Test
    void aRefusedEmergencyModeOnTheCapabilityStatementIsRefusedAndNotAudited() throws Exception {
        String patient = refusingCentre15();
        long before = entries(patient);

        HttpResponse<String> metadata = asCentre15("/metadata", patient);

        assertThat(metadata.statusCode()).isEqualTo(403);
        assertThat(entries(patient))
                .as("the CapabilityStatement is not audited")
                .isEqualTo(before);
    }

    /** A record whose holder refused the centre 15's emergency mode. */
    private String refusingCentre15() throws Exception {
        String patient = patientFollowedByMoreau();
        Parameters refuse = new Parameters();
        refuse.addParameter().setName("mode").setValue(new org.hl7.fhir.r4.model.CodeType("centre-15"));
        client.operation()
                .onInstance("Patient/" + patient)
                .named("$refuse-mode")
                .withParameters(refuse)
                .execute();
        return patient;
    }

    /** A request of the regulator in the centre 15's emergency mode, about that record. */
    private HttpResponse<String> asCentre15(String path, String patient) throws Exception {
        return getAs(
                "regulateur",
                path,
                "Carnet-Access-Mode",
                "centre-15",
                "Carnet-Access-Patient",
                patient,
                "Carnet-Access-Reason",
                "Appel au 15");
    }

    @Test
    void aProfessionalNewToTheRecordIsNotifiedOnce() throws Exception {
        String patient = patientFollowedByMoreau();
        rule(patient, "$authorise", "practitioner", "810100000039");

        getAs("dentiste", "/Patient/" + patient);
        getAs("dentiste", "/Patient/" + patient);

        Parameters holder = eventually(
                () -> parameters(send("GET", "/Patient/" + patient + "/$notifications", null, null)),
                p -> p.hasParameter());
        assertThat(holder.getParameter())
                .filteredOn(n -> n.getPart().stream()
                        .anyMatch(p -> "first-access".equals(p.getValue().primitiveValue())))
                .hasSize(1);
    }

    @Test
    void theChainDetectsAChangedARemovedAndACutEntry() throws Exception {
        String patient = patientFollowedByMoreau();
        for (int i = 0; i < 4; i++) {
            getAs("dr-moreau", "/Patient/" + patient);
        }
        assertThat(verify(patient)).isEqualTo("true");

        String original = jdbc.queryForObject(
                "select content from audit_entry where patient_id = ? and seq = 2", String.class, patient);
        jdbc.update(
                "update audit_entry set content = replace(content, '\"outcome\":\"0\"', '\"outcome\":\"8\"') where patient_id = ? and seq = 2",
                patient);
        assertThat(jdbc.queryForObject(
                        "select content from audit_entry where patient_id = ? and seq = 2", String.class, patient))
                .isNotEqualTo(original);
        assertThat(verify(patient)).isEqualTo("false entry 2 was changed");
        jdbc.update("update audit_entry set content = ? where patient_id = ? and seq = 2", original, patient);
        assertThat(verify(patient)).isEqualTo("true");

        var removed = jdbc.queryForMap("select * from audit_entry where patient_id = ? and seq = 3", patient);
        jdbc.update("delete from audit_entry where patient_id = ? and seq = 3", patient);
        assertThat(verify(patient)).isEqualTo("false entry 3 is missing");
        jdbc.update(
                "insert into audit_entry (patient_id, seq, recorded, actor, content, hash) values (?, ?, ?, ?, ?, ?)",
                removed.get("patient_id"),
                removed.get("seq"),
                removed.get("recorded"),
                removed.get("actor"),
                removed.get("content"),
                removed.get("hash"));
        assertThat(verify(patient)).isEqualTo("true");

        jdbc.update(
                "delete from audit_entry where patient_id = ? and seq = (select max(seq) from audit_entry"
                        + " where patient_id = ?)",
                patient,
                patient);
        assertThat(verify(patient)).isEqualTo("false the chain does not end where its head says");
    }

    @Test
    void aSearchOnAPatientThatDoesNotExistIsAuditedWithoutMakingItAChain() throws Exception {
        String nobody = unique();
        for (String identity : List.of("dr-moreau", "jeanne", SYSTEM)) {
            assertThat(getAs(identity, "/Observation?patient=" + nobody).statusCode())
                    .isEqualTo(200);
            assertThat(getAs(identity, "/Observation?subject=Patient/" + nobody + "&_summary=count")
                            .statusCode())
                    .isEqualTo(200);
        }
        assertThat(getAs("dr-moreau", "/Patient/" + nobody + "/$everything").statusCode())
                .isEqualTo(404);
        assertThat(jdbc.queryForObject("select count(*) from audit_head where patient_id = ?", Long.class, nobody))
                .as("no chain for a record that is not there")
                .isZero();
        assertThat(entries(nobody)).isZero();
        assertThat(jdbc.queryForObject(
                        "select count(*) from audit_entry where patient_id = '' and content like ?",
                        Long.class,
                        "%" + nobody + "%"))
                .as("what was asked is on the platform chain")
                .isGreaterThanOrEqualTo(6);
    }

    @Test
    void aSignInIsAudited() throws Exception {
        long before = jdbc.queryForObject(
                "select count(*) from audit_entry where patient_id = '' and content like '%\"sign-in\"%'", Long.class);
        String fresh = CarnetTestServer.freshToken("http://localhost:" + port, "infirmier");

        sendWithToken(fresh, "/Practitioner?_count=1");
        sendWithToken(fresh, "/Practitioner?_count=1");

        long after = jdbc.queryForObject(
                "select count(*) from audit_entry where patient_id = '' and content like '%\"sign-in\"%'", Long.class);
        assertThat(after).isEqualTo(before + 1);
    }

    private void sendWithToken(String token, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base() + path))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    private String verify(String patient) throws Exception {
        Parameters result = parameters(getAs("operateur", "/Patient/" + patient + "/$verify-trail"));
        String intact = result.getParameter("intact").getValue().primitiveValue();
        return "true".equals(intact)
                ? intact
                : intact + " " + result.getParameter("problem").getValue().primitiveValue();
    }

    private String patientFollowedByMoreau() throws Exception {
        Patient patient = new Patient();
        patient.addName().setFamily("Audit" + unique().substring(0, 8)).addGiven("Test");
        patient.setGender(Enumerations.AdministrativeGender.MALE).setBirthDateElement(new DateType("1970-01-01"));
        String id = client.create().resource(patient).execute().getId().getIdPart();
        rule(id, "$designate-traitant", "practitioner", MOREAU);
        return id;
    }

    private void rule(String patient, String operation, String name, String value) {
        Parameters in = new Parameters();
        in.addParameter().setName(name).setValue(new StringType(value));
        client.operation()
                .onInstance("Patient/" + patient)
                .named(operation)
                .withParameters(in)
                .execute();
    }

    private String observation(String patient) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL).setSubject(new Reference("Patient/" + patient));
        observation.setCode(new CodeableConcept(new Coding("http://loinc.org", "29463-7", "Body weight")));
        return client.create().resource(observation).execute().getId().getIdPart();
    }

    private long entries(String patient) {
        return jdbc.queryForObject("select count(*) from audit_entry where patient_id = ?", Long.class, patient);
    }

    private AuditEvent last(String patient) {
        String content = jdbc.queryForObject(
                "select content from audit_entry where patient_id = ? order by seq desc limit 1",
                String.class,
                patient);
        return FHIR.newJsonParser().parseResource(AuditEvent.class, content);
    }

    private List<String> trailTexts(String patient) throws Exception {
        Parameters trail = parameters(send("GET", "/Patient/" + patient + "/$trail", null, null));
        return trail.getParameter().stream()
                .map(p -> p.getPart().get(0).getValue().primitiveValue())
                .filter(t -> !t.contains("a consulté la trace"))
                .toList();
    }

    private static Parameters parameters(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return FHIR.newJsonParser().parseResource(Parameters.class, response.body());
    }
}
